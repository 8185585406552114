package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.state.SparkplugMetricDef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The metrics an NBIRTH or DBIRTH defines, looked up by alias or by name. Immutable. */
public final class BirthCertificate {
    /** No metrics (a node or device that has not been born). */
    public static final BirthCertificate EMPTY = new BirthCertificate(List.of());

    private final List<MetricDef> metrics;
    private final Map<Long, MetricDef> byAlias;
    private final Map<String, MetricDef> byName;

    private BirthCertificate(List<MetricDef> metrics) {
        this.metrics = Collections.unmodifiableList(metrics);
        this.byAlias = new HashMap<>();
        this.byName = new HashMap<>();
        for (MetricDef def : metrics) {
            byName.put(def.name(), def);
            if (def.alias() != null) {
                byAlias.put(def.alias(), def);
            }
        }
    }

    /**
     * The certificate of a birth's metrics.
     *
     * @throws SparkplugException SPARKPLUG_BAD_PAYLOAD for a metric without a name, without a (known) datatype, or
     *     a name or alias twice; TOO_LARGE for more than {@code maxMetrics}
     */
    public static BirthCertificate of(List<Payload.Metric> birthMetrics, int maxMetrics) throws SparkplugException {
        if (birthMetrics.size() > maxMetrics) {
            throw new SparkplugException(DeadLetterReason.TOO_LARGE,
                    "a birth of " + birthMetrics.size() + " metrics (at most " + maxMetrics + ")");
        }
        List<MetricDef> defs = new ArrayList<>(birthMetrics.size());
        Map<Long, String> aliases = new HashMap<>();
        Map<String, Boolean> names = new HashMap<>();
        for (int i = 0; i < birthMetrics.size(); i++) {
            Payload.Metric m = birthMetrics.get(i);
            if (!m.hasName() || m.getName().isEmpty()) {
                throw bad("birth metric #" + (i + 1) + " has no name");
            }
            String name = m.getName();
            if (!m.hasDatatype()) {
                throw bad("birth metric '" + name + "' has no datatype");
            }
            DataType type = DataType.forNumber(m.getDatatype());
            if (!isMetricType(type)) {
                throw bad("birth metric '" + name + "' has datatype " + m.getDatatype() + ", not a metric datatype");
            }
            if (names.put(name, Boolean.TRUE) != null) {
                throw bad("the birth names metric '" + name + "' twice");
            }
            Long alias = m.hasAlias() ? m.getAlias() : null;
            if (alias != null) {
                String other = aliases.put(alias, name);
                if (other != null) {
                    throw bad("alias " + Long.toUnsignedString(alias) + " is given to both '" + other + "' and '" + name + "'");
                }
            }
            defs.add(new MetricDef(name, alias, type));
        }
        return new BirthCertificate(defs);
    }

    /** The datatypes a metric can have: all but Unknown, PropertySet and PropertySetList (values of properties). */
    static boolean isMetricType(DataType type) {
        return type != null && type != DataType.Unknown && type != DataType.PropertySet
                && type != DataType.PropertySetList;
    }

    public List<MetricDef> metrics() {
        return metrics;
    }

    /** The metric of that alias, or null. */
    public MetricDef byAlias(long alias) {
        return byAlias.get(alias);
    }

    /** The metric of that name, or null. */
    public MetricDef byName(String name) {
        return byName.get(name);
    }

    public boolean isEmpty() {
        return metrics.isEmpty();
    }

    List<SparkplugMetricDef> toAvro() {
        List<SparkplugMetricDef> out = new ArrayList<>(metrics.size());
        for (MetricDef def : metrics) {
            out.add(new SparkplugMetricDef(def.name(), def.alias(), def.datatype().getNumber()));
        }
        return out;
    }

    static BirthCertificate fromAvro(List<SparkplugMetricDef> defs) {
        if (defs == null || defs.isEmpty()) {
            return EMPTY;
        }
        List<MetricDef> metrics = new ArrayList<>(defs.size());
        for (SparkplugMetricDef def : defs) {
            DataType type = DataType.forNumber(def.getDatatype());
            metrics.add(new MetricDef(def.getName(), def.getAlias(), type == null ? DataType.Unknown : type));
        }
        return new BirthCertificate(metrics);
    }

    private static SparkplugException bad(String detail) {
        return new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD, detail);
    }
}
