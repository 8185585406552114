package io.windrose.localcluster.sparkplug;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Sparkplug B metric (Payload.Metric of {@code sparkplug_b.proto}, the fields this client uses): named in births,
 * by alias only in data and commands. Its value as Java sees it: integers (Int8…UInt64, DateTime) as {@link Long}
 * (UInt64 above {@code Long.MAX_VALUE} as the same 64 bits, negative), {@link Float}, {@link Double},
 * {@link Boolean}, {@link String} (String, Text, UUID), {@code byte[]} (Bytes, File); null when {@link #isNull} or
 * when the value is of a kind this client does not read (DataSet, Template, extensions).
 *
 * @param name null when the metric is sent by alias only
 * @param alias null when the metric has none
 * @param timestamp milliseconds since the epoch (UTC), or null
 * @param datatype null when the message does not say (a DATA or CMD metric may leave it to the birth)
 */
public record Metric(String name, Long alias, Long timestamp, DataType datatype, boolean historical,
        boolean transientValue, boolean isNull, Object value) {

    public Metric {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            value = ((Number) value).longValue();
        }
    }

    /** A birth's metric: name, alias (or null) and datatype, with its value (null: is_null). */
    public static Metric birth(String name, Long alias, DataType datatype, long timestamp, Object value) {
        return new Metric(Objects.requireNonNull(name), alias, timestamp, Objects.requireNonNull(datatype), false, false,
                value == null, value);
    }

    /** A data or command metric by alias only, as the specification asks once a birth has given aliases. */
    public static Metric byAlias(long alias, DataType datatype, long timestamp, Object value) {
        return new Metric(null, alias, timestamp, datatype, false, false, value == null, value);
    }

    /** A metric by name only (no alias): what a birth without aliases, or a rebirth request, sends. */
    public static Metric named(String name, DataType datatype, long timestamp, Object value) {
        return new Metric(Objects.requireNonNull(name), null, timestamp, datatype, false, false, value == null, value);
    }

    /** This metric marked is_historical (data from the past that must not update the live value). */
    public Metric asHistorical() {
        return new Metric(name, alias, timestamp, datatype, true, transientValue, isNull, value);
    }

    /** The value as a boolean, if it is one (or an integer: non-zero is true); else null. */
    public Boolean booleanValue() {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metric m && Objects.equals(name, m.name) && Objects.equals(alias, m.alias)
                && Objects.equals(timestamp, m.timestamp) && datatype == m.datatype && historical == m.historical
                && transientValue == m.transientValue && isNull == m.isNull
                && (value instanceof byte[] a && m.value instanceof byte[] b ? Arrays.equals(a, b)
                        : Objects.equals(value, m.value));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, alias, timestamp, datatype, historical, transientValue, isNull,
                value instanceof byte[] bytes ? Arrays.hashCode(bytes) : value);
    }

    @Override
    public String toString() {
        return "Metric[" + (name != null ? "name=" + name + " " : "") + (alias != null ? "alias=" + alias + " " : "")
                + "datatype=" + datatype + " timestamp=" + timestamp + (historical ? " historical" : "")
                + (transientValue ? " transient" : "") + (isNull ? " null"
                : " value=" + (value instanceof byte[] bytes ? bytes.length + " bytes" : value)) + "]";
    }
}
