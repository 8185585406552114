package io.windrose.localcluster.sparkplug;

/**
 * Sparkplug B datatypes, numbered as in Eclipse Sparkplug 3.0, section 6.4.16 (the comment in {@code sparkplug_b.proto}):
 * a metric's {@code datatype} (field 4, uint32) says how to read its value field. The scalar ones say which field
 * carries the value ({@link #field()}); the others (DataSet, Template, the property and array types) this client
 * neither writes nor reads.
 */
public enum DataType {
    UNKNOWN(0, 0),
    INT8(1, Payload.INT_VALUE),
    INT16(2, Payload.INT_VALUE),
    INT32(3, Payload.INT_VALUE),
    INT64(4, Payload.LONG_VALUE),
    UINT8(5, Payload.INT_VALUE),
    UINT16(6, Payload.INT_VALUE),
    UINT32(7, Payload.INT_VALUE),
    UINT64(8, Payload.LONG_VALUE),
    FLOAT(9, Payload.FLOAT_VALUE),
    DOUBLE(10, Payload.DOUBLE_VALUE),
    BOOLEAN(11, Payload.BOOLEAN_VALUE),
    STRING(12, Payload.STRING_VALUE),
    /** Milliseconds since the epoch, UTC, in long_value. */
    DATETIME(13, Payload.LONG_VALUE),
    TEXT(14, Payload.STRING_VALUE),
    UUID(15, Payload.STRING_VALUE),
    DATASET(16, 0),
    BYTES(17, Payload.BYTES_VALUE),
    FILE(18, Payload.BYTES_VALUE),
    TEMPLATE(19, 0),
    PROPERTY_SET(20, 0),
    PROPERTY_SET_LIST(21, 0),
    INT8_ARRAY(22, 0),
    INT16_ARRAY(23, 0),
    INT32_ARRAY(24, 0),
    INT64_ARRAY(25, 0),
    UINT8_ARRAY(26, 0),
    UINT16_ARRAY(27, 0),
    UINT32_ARRAY(28, 0),
    UINT64_ARRAY(29, 0),
    FLOAT_ARRAY(30, 0),
    DOUBLE_ARRAY(31, 0),
    BOOLEAN_ARRAY(32, 0),
    STRING_ARRAY(33, 0),
    DATETIME_ARRAY(34, 0);

    private final int number;
    private final int field;

    DataType(int number, int field) {
        this.number = number;
        this.field = field;
    }

    /** The number on the wire. */
    public int number() {
        return number;
    }

    /** The Metric field that carries a value of this type (10…16), or 0 for one this client does not handle. */
    public int field() {
        return field;
    }

    /** The datatype of that number, or null for a number the specification does not define. */
    public static DataType of(long number) {
        for (DataType type : values()) {
            if (type.number == number) {
                return type;
            }
        }
        return null;
    }
}
