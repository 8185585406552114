package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.DataType;
import io.windrose.decode.sparkplug.proto.SparkplugBProto.Payload.Metric;

/** Sparkplug B metric values as numbers: which datatypes are kept, and how each is read. */
final class MetricValues {
    private MetricValues() {}

    /** Null if the datatype is kept as a number; else why it is left out. */
    static String skipped(DataType type) {
        switch (type) {
            case Int8: case Int16: case Int32: case Int64:
            case UInt8: case UInt16: case UInt32: case UInt64:
            case Float: case Double: case Boolean:
                return null;
            case String: case Text: case UUID:
                return "text, not a number";
            case DateTime:
                return "a date, not a measurement";
            case Bytes: case File:
                return "bytes, not a number";
            case DataSet:
                return "a data set (not read)";
            case Template:
                return "a template (not read)";
            case Int8Array: case Int16Array: case Int32Array: case Int64Array:
            case UInt8Array: case UInt16Array: case UInt32Array: case UInt64Array:
            case FloatArray: case DoubleArray: case BooleanArray: case StringArray: case DateTimeArray:
                return "an array (not read)";
            default:
                return "datatype " + type;
        }
    }

    /**
     * The value of a metric of a kept datatype as a double. Signed integers are read from their low bits, so that
     * both encodings found in the field work: sign-extended to 32 bits (Eclipse Tahu) and masked to the type's width.
     *
     * @throws SparkplugException SPARKPLUG_BAD_PAYLOAD for a value of another kind or out of the datatype's range;
     *     NON_FINITE for NaN or an infinity
     */
    static double number(Metric m, DataType type, String name) throws SparkplugException {
        Metric.ValueCase kind = m.getValueCase();
        switch (type) {
            case Boolean:
                if (kind != Metric.ValueCase.BOOLEAN_VALUE) {
                    throw wrongKind(name, type, kind);
                }
                return m.getBooleanValue() ? 1 : 0;
            case Float:
                if (kind != Metric.ValueCase.FLOAT_VALUE) {
                    throw wrongKind(name, type, kind);
                }
                return finite(m.getFloatValue(), name);
            case Double:
                if (kind == Metric.ValueCase.DOUBLE_VALUE) {
                    return finite(m.getDoubleValue(), name);
                }
                if (kind == Metric.ValueCase.FLOAT_VALUE) {
                    return finite(m.getFloatValue(), name);
                }
                throw wrongKind(name, type, kind);
            case Int64:
                return integral(m, type, name);
            case UInt64: {
                long v = integral(m, type, name);
                // uint64 above Long.MAX_VALUE: the unsigned value, rounded to a double
                return v >= 0 ? v : ((double) (v >>> 1)) * 2.0 + (v & 1);
            }
            default: {
                long v = integral(m, type, name);
                // 32-bit and narrower types: the field is uint32 (or uint64 from some encoders)
                if (kind == Metric.ValueCase.INT_VALUE
                        || (v < 0 && v >= Integer.MIN_VALUE)) { // or a long_value sign-extended from 32 bits
                    v = Integer.toUnsignedLong((int) v);
                }
                return narrow(v, type, name);
            }
        }
    }

    private static long integral(Metric m, DataType type, String name) throws SparkplugException {
        switch (m.getValueCase()) {
            case INT_VALUE: return m.getIntValue();
            case LONG_VALUE: return m.getLongValue();
            default: throw wrongKind(name, type, m.getValueCase());
        }
    }

    /** v is the field's value read unsigned (0..2^32-1 for int_value). */
    private static double narrow(long v, DataType type, String name) throws SparkplugException {
        switch (type) {
            case Int8:
                if (v >= 0 && v <= 0xFF) {
                    return (byte) v;
                }
                if (v >= 0xFFFF_FF80L && v <= 0xFFFF_FFFFL) {
                    return (byte) v;
                }
                break;
            case Int16:
                if (v >= 0 && v <= 0xFFFF) {
                    return (short) v;
                }
                if (v >= 0xFFFF_8000L && v <= 0xFFFF_FFFFL) {
                    return (short) v;
                }
                break;
            case Int32:
                if (v >= 0 && v <= 0xFFFF_FFFFL) {
                    return (int) v;
                }
                break;
            case UInt8:
                if (v >= 0 && v <= 0xFF) {
                    return v;
                }
                break;
            case UInt16:
                if (v >= 0 && v <= 0xFFFF) {
                    return v;
                }
                break;
            case UInt32:
                if (v >= 0 && v <= 0xFFFF_FFFFL) {
                    return v;
                }
                break;
            default:
                throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                        "metric '" + name + "': datatype " + type + " is not an integer");
        }
        throw new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                "metric '" + name + "': " + Long.toUnsignedString(v) + " is out of the range of " + type);
    }

    private static double finite(double v, String name) throws SparkplugException {
        if (!Double.isFinite(v)) {
            throw new SparkplugException(DeadLetterReason.NON_FINITE, "metric '" + name + "' is " + v);
        }
        return v;
    }

    private static SparkplugException wrongKind(String name, DataType type, Metric.ValueCase kind) {
        return new SparkplugException(DeadLetterReason.SPARKPLUG_BAD_PAYLOAD,
                "metric '" + name + "' is " + type + " but carries " + describe(kind));
    }

    private static String describe(Metric.ValueCase kind) {
        switch (kind) {
            case INT_VALUE: return "an int_value";
            case LONG_VALUE: return "a long_value";
            case FLOAT_VALUE: return "a float_value";
            case DOUBLE_VALUE: return "a double_value";
            case BOOLEAN_VALUE: return "a boolean_value";
            case STRING_VALUE: return "a string_value";
            case BYTES_VALUE: return "a bytes_value";
            case DATASET_VALUE: return "a dataset_value";
            case TEMPLATE_VALUE: return "a template_value";
            case EXTENSION_VALUE: return "an extension_value";
            default: return "no value";
        }
    }
}
