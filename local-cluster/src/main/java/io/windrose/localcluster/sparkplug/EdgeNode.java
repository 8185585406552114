package io.windrose.localcluster.sparkplug;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Sparkplug B edge node and its devices as the specification (Eclipse Sparkplug 3.0) has them publish, without MQTT:
 * its metric definitions (name, alias, datatype) and current values, its birth/death sequence number {@code bdSeq} and
 * its message sequence number {@code seq}, and the messages it sends in turn:
 * <ul>
 *   <li>{@link #connectWill()}: the NDEATH to register as the MQTT will of a new connection — {@code bdSeq} one more
 *       than for the previous connection (0 for the first, 0 again after 255), no {@code seq}, QoS 1, not retained;</li>
 *   <li>{@link #nbirth}: {@code seq} 0, the metrics {@code bdSeq} (Int64, the will's value) and
 *       {@code Node Control/Rebirth} (Boolean false), both by name only (the specification forbids an alias for the
 *       rebirth metric, and the will names {@code bdSeq}), then the node's own metrics with names and aliases;</li>
 *   <li>{@link #dbirth}, {@link #ndata}, {@link #ddata}, {@link #ddeath}: each the next {@code seq} (255 wraps to 0);
 *       data by alias only, no names; births with every metric's name, alias, datatype and current value;</li>
 *   <li>{@link #ndeath}: the NDEATH an edge node publishes itself before it disconnects on purpose.</li>
 * </ul>
 * Aliases are unique across the node and all its devices (section 6.4.6). {@link #command} reads an NCMD or DCMD
 * addressed to this node: a rebirth request ({@code Node Control/Rebirth} = true) or writes to metrics by alias (or
 * name). Not thread safe: one thread builds messages; {@link #command} only reads the definitions.
 */
public final class EdgeNode {
    public static final String BD_SEQ = "bdSeq";
    public static final String REBIRTH = "Node Control/Rebirth";

    /** A metric's definition in a birth. */
    public record MetricDef(String name, long alias, DataType datatype) {}

    /**
     * An NCMD ({@code device} null) or DCMD read by this node.
     *
     * @param rebirth the command asks for a rebirth ({@code Node Control/Rebirth} = true, NCMD only)
     * @param writes values for metrics the birth defined, by metric name, in the order sent
     * @param unknown metrics that name no metric of the node or device (or the rebirth metric with false)
     */
    public record Command(String device, boolean rebirth, Map<String, Object> writes, List<Metric> unknown) {}

    private final String group;
    private final String id;
    private final Map<String, MetricDef> nodeMetrics = new LinkedHashMap<>();
    private final Map<String, Object> nodeValues = new HashMap<>();
    private final Map<String, Map<String, MetricDef>> deviceMetrics = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> deviceValues = new HashMap<>();
    private final Map<Long, String> aliases = new HashMap<>();
    private final Map<String, Boolean> online = new HashMap<>();
    private volatile int bdSeq = -1; // advanced by a reconnecting client's thread
    private int seq = -1;

    public EdgeNode(String group, String id) {
        new Topic(group, "NBIRTH", id, null); // checks the IDs
        this.group = group;
        this.id = id;
    }

    public String group() {
        return group;
    }

    public String id() {
        return id;
    }

    /** Defines a metric of the node itself, with its first value (null: is_null). */
    public EdgeNode nodeMetric(String name, long alias, DataType datatype, Object initial) {
        define(null, name, alias, datatype);
        nodeMetrics.put(name, new MetricDef(name, alias, datatype));
        nodeValues.put(name, normal(initial));
        return this;
    }

    /** Defines a device (if new) and a metric of it, with its first value (null: is_null). */
    public EdgeNode deviceMetric(String device, String name, long alias, DataType datatype, Object initial) {
        new Topic(group, "DBIRTH", id, device);
        define(device, name, alias, datatype);
        deviceMetrics.computeIfAbsent(device, d -> new LinkedHashMap<>()).put(name, new MetricDef(name, alias, datatype));
        deviceValues.computeIfAbsent(device, d -> new HashMap<>()).put(name, normal(initial));
        return this;
    }

    private void define(String device, String name, long alias, DataType datatype) {
        if (name.equals(BD_SEQ) || name.equals(REBIRTH)) {
            throw new IllegalArgumentException("'" + name + "' is the edge node's own: every NBIRTH has it");
        }
        if (datatype.field() == 0) {
            throw new IllegalArgumentException("this client does not write " + datatype + " metrics ('" + name + "')");
        }
        Map<String, MetricDef> defs = device == null ? nodeMetrics : deviceMetrics.get(device);
        if (defs != null && defs.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is defined twice for " + where(device));
        }
        String other = aliases.putIfAbsent(alias, name + " of " + where(device));
        if (other != null) {
            throw new IllegalArgumentException("alias " + alias + " is " + other + "'s: aliases are unique across the"
                    + " edge node and its devices");
        }
    }

    private String where(String device) {
        return device == null ? "edge node " + id : "device " + device;
    }

    /** The devices, in the order defined. */
    public List<String> devices() {
        return List.copyOf(deviceMetrics.keySet());
    }

    /** The metrics of a device (null: of the node), in the order defined. */
    public List<MetricDef> metrics(String device) {
        return List.copyOf(defs(device).values());
    }

    /** A metric's current value (the last one published or written), by name; device null: the node's. */
    public Object value(String device, String metric) {
        return values(device).get(metric);
    }

    /** The bdSeq of the current connection (that of the last {@link #connectWill()}), -1 before any. */
    public int bdSeq() {
        return bdSeq;
    }

    /** The seq of the last message published, -1 before the first NBIRTH. */
    public int seq() {
        return seq;
    }

    /** Whether the device is online: its DBIRTH sent since the last NBIRTH, and no DDEATH since. */
    public boolean online(String device) {
        return online.getOrDefault(device, false);
    }

    /** The topic of a message type for the node (device null) or a device. */
    public Topic topic(String type, String device) {
        return new Topic(group, type, id, device);
    }

    /**
     * The NDEATH to register as the will of a new MQTT connection: advances {@code bdSeq} (0 for the first connection,
     * then one more each time, 255 wraps to 0). QoS 1, not retained, no {@code seq}.
     */
    public SparkplugMessage connectWill() {
        bdSeq = (bdSeq + 1) & 0xFF;
        return new SparkplugMessage(topic("NDEATH", null), deathPayload(null), 1, false);
    }

    /** The NDEATH of the current connection, published by the node itself before it disconnects on purpose; all devices go
     * offline with it. QoS 0 like the other messages the node publishes. */
    public SparkplugMessage ndeath(long now) {
        requireConnected();
        online.clear();
        return new SparkplugMessage(topic("NDEATH", null), deathPayload(now), 0, false);
    }

    private byte[] deathPayload(Long now) {
        // the will's timestamp would be the time of the CONNECT, useless to a host (section 5.x): the will has none
        return new Payload(now, List.of(new Metric(BD_SEQ, null, now, DataType.INT64, false, false, false,
                (long) bdSeq)), null).encode();
    }

    /** The NBIRTH: {@code seq} restarts at 0; all devices are offline until their DBIRTHs. */
    public SparkplugMessage nbirth(long now) {
        requireConnected();
        seq = 0;
        online.clear();
        List<Metric> metrics = new ArrayList<>();
        metrics.add(Metric.named(BD_SEQ, DataType.INT64, now, (long) bdSeq));
        metrics.add(Metric.named(REBIRTH, DataType.BOOLEAN, now, false));
        for (MetricDef def : nodeMetrics.values()) {
            metrics.add(Metric.birth(def.name(), def.alias(), def.datatype(), now, nodeValues.get(def.name())));
        }
        return message("NBIRTH", null, now, metrics);
    }

    /** A DBIRTH: the device's metrics with names, aliases, datatypes and current values; the device is online. */
    public SparkplugMessage dbirth(String device, long now) {
        Map<String, MetricDef> defs = defs(device);
        requireBorn();
        List<Metric> metrics = new ArrayList<>();
        for (MetricDef def : defs.values()) {
            metrics.add(Metric.birth(def.name(), def.alias(), def.datatype(), now, deviceValues.get(device).get(def.name())));
        }
        online.put(device, true);
        return message("DBIRTH", device, now, metrics);
    }

    /** A complete birth sequence: the NBIRTH and a DBIRTH for each device. */
    public List<SparkplugMessage> births(long now) {
        List<SparkplugMessage> births = new ArrayList<>();
        births.add(nbirth(now));
        for (String device : deviceMetrics.keySet()) {
            births.add(dbirth(device, now));
        }
        return births;
    }

    /** An NDATA of the node's metrics by alias (names are values' keys; a null value: is_null), in definition order. */
    public SparkplugMessage ndata(long now, Map<String, ?> values) {
        requireBorn();
        return message("NDATA", null, now, data(null, now, values));
    }

    /** A DDATA of a device's metrics by alias (names are values' keys; a null value: is_null), in definition order. */
    public SparkplugMessage ddata(String device, long now, Map<String, ?> values) {
        requireBorn();
        if (!online(device)) {
            throw new IllegalStateException("device " + device + " is offline: no DDATA before its DBIRTH");
        }
        return message("DDATA", device, now, data(device, now, values));
    }

    private List<Metric> data(String device, long now, Map<String, ?> values) {
        Map<String, MetricDef> defs = defs(device);
        for (String name : values.keySet()) {
            if (!defs.containsKey(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a metric of " + where(device));
            }
        }
        List<Metric> metrics = new ArrayList<>();
        for (MetricDef def : defs.values()) {
            if (values.containsKey(def.name())) {
                Object value = normal(values.get(def.name()));
                metrics.add(Metric.byAlias(def.alias(), def.datatype(), now, value));
                values(device).put(def.name(), value);
            }
        }
        return metrics;
    }

    /** A DDEATH: the device is offline until its next DBIRTH. */
    public SparkplugMessage ddeath(String device, long now) {
        defs(device);
        requireBorn();
        online.put(device, false);
        return message("DDEATH", device, now, List.of());
    }

    private SparkplugMessage message(String type, String device, long now, List<Metric> metrics) {
        long messageSeq = type.equals("NBIRTH") ? 0 : (seq = (seq + 1) & 0xFF);
        return new SparkplugMessage(topic(type, device), new Payload(now, metrics, messageSeq).encode(), 0, false);
    }

    /**
     * An NCMD or DCMD for this node read, or null if the topic is not a command to it or one of its devices.
     *
     * @throws InvalidProtocolBufferException if the payload is not a Sparkplug B payload
     */
    public Command command(String topic, byte[] payload) throws InvalidProtocolBufferException {
        Topic t = Topic.parse(topic);
        if (t == null || !t.group().equals(group) || !t.edgeNode().equals(id)
                || !(t.type().equals("NCMD") || t.type().equals("DCMD")) || (t.device() != null
                && !deviceMetrics.containsKey(t.device()))) {
            return null;
        }
        Map<String, MetricDef> defs = defs(t.device());
        Payload p = Payload.decode(payload);
        boolean rebirth = false;
        Map<String, Object> writes = new LinkedHashMap<>();
        List<Metric> unknown = new ArrayList<>();
        for (Metric m : p.metrics()) {
            if (t.device() == null && REBIRTH.equals(m.name()) && Boolean.TRUE.equals(m.booleanValue())) {
                rebirth = true;
                continue;
            }
            MetricDef def = null;
            if (m.alias() != null) {
                String name = defs.values().stream().filter(d -> d.alias() == m.alias()).map(MetricDef::name)
                        .findFirst().orElse(null);
                def = name == null ? null : defs.get(name);
            } else if (m.name() != null) {
                def = defs.get(m.name());
            }
            if (def == null || m.isNull() || m.value() == null) {
                unknown.add(m);
            } else {
                writes.put(def.name(), m.value());
            }
        }
        return new Command(t.device(), rebirth, writes, unknown);
    }

    /** Sets a metric's value without publishing it (a write the next DATA reports); device null: the node's. */
    public void set(String device, String metric, Object value) {
        if (!defs(device).containsKey(metric)) {
            throw new IllegalArgumentException("'" + metric + "' is not a metric of " + where(device));
        }
        values(device).put(metric, normal(value));
    }

    private Map<String, MetricDef> defs(String device) {
        if (device == null) {
            return nodeMetrics;
        }
        Map<String, MetricDef> defs = deviceMetrics.get(device);
        if (defs == null) {
            throw new IllegalArgumentException("no device " + device + " on edge node " + id);
        }
        return defs;
    }

    private Map<String, Object> values(String device) {
        defs(device);
        return device == null ? nodeValues : deviceValues.get(device);
    }

    private static Object normal(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte
                ? (Object) ((Number) value).longValue() : value;
    }

    private void requireConnected() {
        if (bdSeq < 0) {
            throw new IllegalStateException("no connection yet: connectWill() gives the NDEATH to register first");
        }
    }

    private void requireBorn() {
        if (seq < 0) {
            throw new IllegalStateException("no NBIRTH yet: the specification has the NBIRTH first");
        }
    }
}
