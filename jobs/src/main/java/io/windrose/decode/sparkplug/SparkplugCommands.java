package io.windrose.decode.sparkplug;

import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;

/**
 * NCMD and DCMD messages a host application sends: the rebirth request, and a write of one metric by the alias and
 * datatype its birth gave. Publish them at QoS 0 and never retained (the specification's rule for commands).
 */
public final class SparkplugCommands {
    private SparkplugCommands() {}

    /** A command: where it goes and its Sparkplug B payload. */
    public record Command(String topic, byte[] payload) {}

    /** NCMD {@code Node Control/Rebirth} = true: the node is asked to send its NBIRTH and all DBIRTHs again. */
    public static Command rebirth(String group, String edgeNode, long timestamp) {
        Payload payload = Payload.newBuilder()
                .setTimestamp(timestamp)
                .addMetrics(Metric.newBuilder()
                        .setName(SparkplugDecoder.REBIRTH_METRIC)
                        .setTimestamp(timestamp)
                        .setDatatype(DataType.Boolean_VALUE)
                        .setBooleanValue(true))
                .build();
        return new Command(SparkplugTopic.commandTopic(group, edgeNode, null), payload.toByteArray());
    }

    /**
     * A write of one metric: NCMD when {@code device} is null, else DCMD. The metric is named by its alias when its
     * birth gave one (the specification asks for that), else by its name, and carries the birth's datatype.
     *
     * @param value a {@link Boolean} (also accepted by integer, float and double metrics as 1/0), a {@link Number} that
     *     the datatype can hold exactly (integers) or at all (floats), or a {@link CharSequence} for String and Text
     * @throws IllegalArgumentException if the value does not fit the metric's datatype, or the datatype cannot be
     *     written (DataSet, Template, Bytes, File, arrays, DateTime, UUID)
     */
    public static Command write(String group, String edgeNode, String device, MetricDef metric, Object value,
            long timestamp) {
        Metric.Builder m = Metric.newBuilder()
                .setTimestamp(timestamp)
                .setDatatype(metric.datatype().getNumber());
        if (metric.alias() != null) {
            m.setAlias(metric.alias());
        } else {
            m.setName(metric.name());
        }
        setValue(m, metric, value);
        Payload payload = Payload.newBuilder().setTimestamp(timestamp).addMetrics(m).build();
        return new Command(SparkplugTopic.commandTopic(group, edgeNode, device), payload.toByteArray());
    }

    private static void setValue(Metric.Builder m, MetricDef metric, Object value) {
        DataType type = metric.datatype();
        switch (type) {
            case Boolean:
                if (!(value instanceof Boolean b)) {
                    throw misfit(metric, value);
                }
                m.setBooleanValue(b);
                return;
            case String: case Text:
                if (!(value instanceof CharSequence cs)) {
                    throw misfit(metric, value);
                }
                m.setStringValue(cs.toString());
                return;
            case Float: {
                double d = real(metric, value);
                float f = (float) d;
                if (Double.isFinite(d) && Float.isInfinite(f)) {
                    throw misfit(metric, value);
                }
                m.setFloatValue(f);
                return;
            }
            case Double:
                m.setDoubleValue(real(metric, value));
                return;
            case Int8: case Int16: case Int32: case UInt8: case UInt16: case UInt32: {
                long v = integer(metric, value);
                long min = switch (type) {
                    case Int8 -> Byte.MIN_VALUE;
                    case Int16 -> Short.MIN_VALUE;
                    case Int32 -> Integer.MIN_VALUE;
                    default -> 0;
                };
                long max = switch (type) {
                    case Int8 -> Byte.MAX_VALUE;
                    case Int16 -> Short.MAX_VALUE;
                    case Int32 -> Integer.MAX_VALUE;
                    case UInt8 -> 0xFF;
                    case UInt16 -> 0xFFFF;
                    default -> 0xFFFF_FFFFL;
                };
                if (v < min || v > max) {
                    throw misfit(metric, value);
                }
                // uint32 on the wire; signed types sign-extended to 32 bits, as Eclipse Tahu writes them
                m.setIntValue((int) v);
                return;
            }
            case Int64:
                m.setLongValue(integer(metric, value));
                return;
            case UInt64: {
                long v = integer(metric, value);
                if (v < 0) {
                    throw misfit(metric, value);
                }
                m.setLongValue(v);
                return;
            }
            default:
                throw new IllegalArgumentException("metric '" + metric.name() + "' is " + type + ": not writable");
        }
    }

    private static double real(MetricDef metric, Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw misfit(metric, value);
    }

    private static long integer(MetricDef metric, Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
        }
        throw misfit(metric, value);
    }

    private static IllegalArgumentException misfit(MetricDef metric, Object value) {
        return new IllegalArgumentException("metric '" + metric.name() + "' is " + metric.datatype() + ": "
                + value + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")") + " does not fit");
    }
}
