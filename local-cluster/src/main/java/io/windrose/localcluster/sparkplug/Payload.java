package io.windrose.localcluster.sparkplug;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Sparkplug B payload, written and read by hand with protobuf-java's {@link CodedOutputStream} and
 * {@link CodedInputStream} from the message definitions of Eclipse Sparkplug 3.0 (section 6.4, {@code sparkplug_b.proto}
 * of eclipse/tahu) — no generated classes:
 * <pre>
 * message Payload { optional uint64 timestamp = 1; repeated Metric metrics = 2; optional uint64 seq = 3;
 *                   optional string uuid = 4; optional bytes body = 5; extensions 6 to max; }
 * message Metric  { optional string name = 1; optional uint64 alias = 2; optional uint64 timestamp = 3;
 *                   optional uint32 datatype = 4; optional bool is_historical = 5; optional bool is_transient = 6;
 *                   optional bool is_null = 7; optional MetaData metadata = 8; optional PropertySet properties = 9;
 *                   oneof value { uint32 int_value = 10; uint64 long_value = 11; float float_value = 12;
 *                   double double_value = 13; bool boolean_value = 14; string string_value = 15; bytes bytes_value = 16;
 *                   DataSet dataset_value = 17; Template template_value = 18; MetricValueExtension extension_value = 19; } }
 * </pre>
 * Signed integers travel as their two's complement: Int8, Int16 and Int32 in the uint32 {@code int_value} (sign-extended
 * to 32 bits; a reader also takes the value at its own width, e.g. 255 for an Int8 -1), Int64 in {@code long_value}.
 * Fields are written in field-number order; a reader skips what it does not know (metadata, properties, datasets,
 * templates, extensions).
 *
 * @param timestamp milliseconds since the epoch (UTC), or null
 * @param seq the edge node's sequence number 0…255, or null (NDEATH, and commands, have none)
 * @param uuid null unless set
 * @param body null unless set
 */
public record Payload(Long timestamp, List<Metric> metrics, Long seq, String uuid, byte[] body) {
    static final int TIMESTAMP = 1;
    static final int METRICS = 2;
    static final int SEQ = 3;
    static final int UUID = 4;
    static final int BODY = 5;

    static final int M_NAME = 1;
    static final int M_ALIAS = 2;
    static final int M_TIMESTAMP = 3;
    static final int M_DATATYPE = 4;
    static final int M_IS_HISTORICAL = 5;
    static final int M_IS_TRANSIENT = 6;
    static final int M_IS_NULL = 7;
    static final int INT_VALUE = 10;
    static final int LONG_VALUE = 11;
    static final int FLOAT_VALUE = 12;
    static final int DOUBLE_VALUE = 13;
    static final int BOOLEAN_VALUE = 14;
    static final int STRING_VALUE = 15;
    static final int BYTES_VALUE = 16;

    public Payload {
        metrics = List.copyOf(metrics);
    }

    public Payload(Long timestamp, List<Metric> metrics, Long seq) {
        this(timestamp, metrics, seq, null, null);
    }

    /** The protobuf bytes of this payload. */
    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * metrics.size());
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            if (timestamp != null) {
                out.writeUInt64(TIMESTAMP, timestamp);
            }
            for (Metric metric : metrics) {
                out.writeByteArray(METRICS, encode(metric));
            }
            if (seq != null) {
                out.writeUInt64(SEQ, seq);
            }
            if (uuid != null) {
                out.writeString(UUID, uuid);
            }
            if (body != null) {
                out.writeByteArray(BODY, body);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    private static byte[] encode(Metric m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32);
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        if (m.name() != null) {
            out.writeString(M_NAME, m.name());
        }
        if (m.alias() != null) {
            out.writeUInt64(M_ALIAS, m.alias());
        }
        if (m.timestamp() != null) {
            out.writeUInt64(M_TIMESTAMP, m.timestamp());
        }
        if (m.datatype() != null) {
            out.writeUInt32(M_DATATYPE, m.datatype().number());
        }
        if (m.historical()) {
            out.writeBool(M_IS_HISTORICAL, true);
        }
        if (m.transientValue()) {
            out.writeBool(M_IS_TRANSIENT, true);
        }
        if (m.isNull()) {
            out.writeBool(M_IS_NULL, true);
        } else if (m.value() != null) {
            writeValue(out, m);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void writeValue(CodedOutputStream out, Metric m) throws IOException {
        DataType type = m.datatype();
        if (type == null) {
            throw new IllegalArgumentException(m + ": a value needs a datatype to say which field carries it");
        }
        Object v = m.value();
        switch (type) {
            case INT8 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case INT16 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, Short.MIN_VALUE, Short.MAX_VALUE));
            case INT32 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT8 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, 0, 0xFF));
            case UINT16 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, 0, 0xFFFF));
            case UINT32 -> out.writeUInt32(INT_VALUE, (int) integer(m, v, 0, 0xFFFF_FFFFL));
            case INT64, UINT64, DATETIME -> out.writeUInt64(LONG_VALUE, integer(m, v, Long.MIN_VALUE, Long.MAX_VALUE));
            case FLOAT -> out.writeFloat(FLOAT_VALUE, ((Number) typed(m, v, Number.class)).floatValue());
            case DOUBLE -> out.writeDouble(DOUBLE_VALUE, ((Number) typed(m, v, Number.class)).doubleValue());
            case BOOLEAN -> out.writeBool(BOOLEAN_VALUE, (Boolean) typed(m, v, Boolean.class));
            case STRING, TEXT, UUID -> out.writeString(STRING_VALUE, (String) typed(m, v, String.class));
            case BYTES, FILE -> out.writeByteArray(BYTES_VALUE, (byte[]) typed(m, v, byte[].class));
            default -> throw new IllegalArgumentException(m + ": this client does not write " + type + " values");
        }
    }

    private static long integer(Metric m, Object v, long min, long max) {
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException(m + ": " + m.datatype() + " needs an integer value");
        }
        if (l < min || l > max) {
            throw new IllegalArgumentException(m + ": " + l + " is out of the range of " + m.datatype());
        }
        return l;
    }

    private static Object typed(Metric m, Object v, Class<?> type) {
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(m + ": " + m.datatype() + " needs a " + type.getSimpleName() + " value");
        }
        return v;
    }

    /**
     * Reads a payload.
     *
     * @throws InvalidProtocolBufferException if the bytes are not a protobuf message of that shape
     */
    public static Payload decode(byte[] bytes) throws InvalidProtocolBufferException {
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            Long timestamp = null;
            Long seq = null;
            String uuid = null;
            byte[] body = null;
            List<Metric> metrics = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (tag) {
                    case TIMESTAMP << 3 | WireFormat.WIRETYPE_VARINT -> timestamp = in.readUInt64();
                    case METRICS << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> metrics.add(decodeMetric(in.readByteArray()));
                    case SEQ << 3 | WireFormat.WIRETYPE_VARINT -> seq = in.readUInt64();
                    case UUID << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> uuid = in.readStringRequireUtf8();
                    case BODY << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED -> body = in.readByteArray();
                    default -> skip(in, tag);
                }
            }
            return new Payload(timestamp, metrics, seq, uuid, body);
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private static Metric decodeMetric(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = null;
        Long alias = null;
        Long timestamp = null;
        Long datatypeNumber = null;
        boolean historical = false;
        boolean transientValue = false;
        boolean isNull = false;
        Object value = null; // the oneof: the last value field read wins
        boolean integer = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            int wire = WireFormat.getTagWireType(tag);
            int expected = switch (field) {
                case M_NAME, STRING_VALUE, BYTES_VALUE -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
                case M_ALIAS, M_TIMESTAMP, M_DATATYPE, M_IS_HISTORICAL, M_IS_TRANSIENT, M_IS_NULL, INT_VALUE, LONG_VALUE,
                        BOOLEAN_VALUE -> WireFormat.WIRETYPE_VARINT;
                case FLOAT_VALUE -> WireFormat.WIRETYPE_FIXED32;
                case DOUBLE_VALUE -> WireFormat.WIRETYPE_FIXED64;
                default -> -1;
            };
            if (wire != expected) {
                // a field this client does not read (metadata, properties, dataset, template, extension: a value of a
                // kind not read here, which replaces any earlier one), or one of the wrong wire type (unknown to protobuf)
                if (field >= 17 && field <= 19) {
                    value = null;
                    integer = false;
                }
                skip(in, tag);
                continue;
            }
            switch (field) {
                case M_NAME -> name = in.readStringRequireUtf8();
                case M_ALIAS -> alias = in.readUInt64();
                case M_TIMESTAMP -> timestamp = in.readUInt64();
                case M_DATATYPE -> datatypeNumber = Integer.toUnsignedLong(in.readUInt32());
                case M_IS_HISTORICAL -> historical = in.readBool();
                case M_IS_TRANSIENT -> transientValue = in.readBool();
                case M_IS_NULL -> isNull = in.readBool();
                case INT_VALUE -> value = Integer.toUnsignedLong(in.readUInt32());
                case LONG_VALUE -> value = in.readUInt64();
                case FLOAT_VALUE -> value = in.readFloat();
                case DOUBLE_VALUE -> value = in.readDouble();
                case BOOLEAN_VALUE -> value = in.readBool();
                case STRING_VALUE -> value = in.readStringRequireUtf8();
                case BYTES_VALUE -> value = in.readByteArray();
                default -> throw new IllegalStateException("field " + field);
            }
            integer = field == INT_VALUE || field == LONG_VALUE ? true : field >= FLOAT_VALUE ? false : integer;
        }
        DataType datatype = datatypeNumber == null ? null : DataType.of(datatypeNumber);
        if (integer) {
            value = integer((Long) value, datatype);
        }
        if (isNull) {
            value = null;
        }
        return new Metric(name, alias, timestamp, datatype, historical, transientValue, isNull, value);
    }

    /** The integer read unsigned from int_value or long_value, as its datatype means it. */
    private static long integer(long raw, DataType datatype) {
        if (datatype == null) {
            return raw;
        }
        return switch (datatype) {
            case INT8 -> (byte) raw;
            case INT16 -> (short) raw;
            case INT32 -> (int) raw;
            default -> raw;
        };
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("an end-group tag without its start (tag " + tag + ")");
        }
    }

    /** The metric of that name, or null. */
    public Metric metric(String name) {
        return metrics.stream().filter(m -> name.equals(m.name())).findFirst().orElse(null);
    }

    /** The metric of that alias, or null. */
    public Metric metric(long alias) {
        return metrics.stream().filter(m -> m.alias() != null && m.alias() == alias).findFirst().orElse(null);
    }
}
