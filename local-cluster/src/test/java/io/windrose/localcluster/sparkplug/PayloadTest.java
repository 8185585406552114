package io.windrose.localcluster.sparkplug;

import static io.windrose.localcluster.sparkplug.SparkplugSchema.METRIC;
import static io.windrose.localcluster.sparkplug.SparkplugSchema.PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written codec against protobuf-java's generic reader and writer ({@link SparkplugSchema}). */
class PayloadTest {
    private static final long T = 1_700_000_000_123L;

    private static DynamicMessage parse(byte[] bytes) throws InvalidProtocolBufferException {
        DynamicMessage message = DynamicMessage.parseFrom(PAYLOAD, bytes);
        assertThat(message.getUnknownFields().asMap()).as("fields the schema does not know").isEmpty();
        return message;
    }

    private static Object get(DynamicMessage message, String field) {
        return message.getField(message.getDescriptorForType().findFieldByName(field));
    }

    private static boolean has(DynamicMessage message, String field) {
        return message.hasField(message.getDescriptorForType().findFieldByName(field));
    }

    @SuppressWarnings("unchecked")
    private static DynamicMessage metric(DynamicMessage payload, int i) {
        return ((List<DynamicMessage>) get(payload, "metrics")).get(i);
    }

    @Test
    void everyScalarDatatypeIsReadByProtobufAsTheSpecificationDefinesIt() throws Exception {
        byte[] bytes = new Payload(T, List.of(
                Metric.birth("i8", 1L, DataType.INT8, T, -1L),
                Metric.birth("i16", 2L, DataType.INT16, T, -300L),
                Metric.birth("i32", 3L, DataType.INT32, T, Integer.MIN_VALUE),
                Metric.birth("i64", 4L, DataType.INT64, T, -5L),
                Metric.birth("u8", 5L, DataType.UINT8, T, 255L),
                Metric.birth("u16", 6L, DataType.UINT16, T, 65_535L),
                Metric.birth("u32", 7L, DataType.UINT32, T, 4_294_967_295L),
                Metric.birth("u64", 8L, DataType.UINT64, T, -1L), // 2^64-1
                Metric.birth("f", 9L, DataType.FLOAT, T, 1.5f),
                Metric.birth("d", 10L, DataType.DOUBLE, T, -2.25),
                Metric.birth("b", 11L, DataType.BOOLEAN, T, true),
                Metric.birth("s", 12L, DataType.STRING, T, "grüß"),
                Metric.birth("dt", 13L, DataType.DATETIME, T, T),
                Metric.birth("bytes", 17L, DataType.BYTES, T, new byte[] {1, 2, 3})), 7L).encode();
        DynamicMessage payload = parse(bytes);
        assertThat(get(payload, "timestamp")).isEqualTo(T);
        assertThat(get(payload, "seq")).isEqualTo(7L);
        assertThat(has(payload, "uuid")).isFalse();
        Object[][] expected = {
                {"i8", 1, "int_value", -1}, // uint32 read into a Java int: the 32-bit two's complement
                {"i16", 2, "int_value", -300},
                {"i32", 3, "int_value", Integer.MIN_VALUE},
                {"i64", 4, "long_value", -5L},
                {"u8", 5, "int_value", 255},
                {"u16", 6, "int_value", 65_535},
                {"u32", 7, "int_value", -1},
                {"u64", 8, "long_value", -1L},
                {"f", 9, "float_value", 1.5f},
                {"d", 10, "double_value", -2.25},
                {"b", 11, "boolean_value", true},
                {"s", 12, "string_value", "grüß"},
                {"dt", 13, "long_value", T},
                {"bytes", 17, "bytes_value", ByteString.copyFrom(new byte[] {1, 2, 3})}};
        for (int i = 0; i < expected.length; i++) {
            DynamicMessage m = metric(payload, i);
            assertThat(get(m, "name")).isEqualTo(expected[i][0]);
            assertThat(get(m, "datatype")).isEqualTo(expected[i][1]);
            assertThat(get(m, "alias")).isEqualTo((long) i + (i >= 13 ? 4 : 1));
            assertThat(get(m, "timestamp")).isEqualTo(T);
            assertThat(m.getOneofFieldDescriptor(METRIC.getOneofs().get(0)).getName()).isEqualTo(expected[i][2]);
            assertThat(get(m, (String) expected[i][2])).as((String) expected[i][0]).isEqualTo(expected[i][3]);
            assertThat(has(m, "is_null")).isFalse();
            assertThat(has(m, "is_historical")).isFalse();
        }
        // and back: the same metrics
        assertThat(Payload.decode(bytes).metrics()).extracting(Metric::value).containsExactly(-1L, -300L,
                (long) Integer.MIN_VALUE, -5L, 255L, 65_535L, 4_294_967_295L, -1L, 1.5f, -2.25, true, "grüß", T,
                new byte[] {1, 2, 3});
        assertThat(Payload.decode(bytes)).isEqualTo(Payload.decode(payload.toByteArray()));
    }

    @Test
    void dataByAliasHasNoNameNullsAreFlaggedAndNdeathHasNoSeq() throws Exception {
        DynamicMessage data = parse(new Payload(T, List.of(Metric.byAlias(10, DataType.DOUBLE, T, 4.2),
                Metric.byAlias(11, DataType.UINT32, T, null), Metric.byAlias(12, DataType.BOOLEAN, T, false)
                        .asHistorical()), 255L).encode());
        assertThat(has(metric(data, 0), "name")).isFalse();
        assertThat(get(metric(data, 0), "alias")).isEqualTo(10L);
        assertThat(get(metric(data, 1), "is_null")).isEqualTo(true);
        assertThat(metric(data, 1).getOneofFieldDescriptor(METRIC.getOneofs().get(0))).isNull();
        assertThat(get(metric(data, 2), "is_historical")).isEqualTo(true);
        assertThat(has(metric(data, 2), "boolean_value")).isTrue(); // false is written: proto2 keeps presence
        assertThat(get(data, "seq")).isEqualTo(255L);

        DynamicMessage death = parse(new Payload(null, List.of(Metric.named("bdSeq", DataType.INT64, T, 3L)), null)
                .encode());
        assertThat(has(death, "seq")).isFalse();
        assertThat(has(death, "timestamp")).isFalse();
    }

    @Test
    void readsWhatProtobufWritesAndSkipsWhatItDoesNotKnow() throws Exception {
        UnknownFieldSet extension = UnknownFieldSet.newBuilder().addField(25,
                UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build();
        DynamicMessage opaque = DynamicMessage.newBuilder(METRIC.findFieldByName("metadata").getMessageType())
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(2, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("text/plain")).build()).build())
                .build();
        DynamicMessage withEverything = DynamicMessage.newBuilder(METRIC)
                .setField(METRIC.findFieldByName("name"), "Node Control/Rebirth")
                .setField(METRIC.findFieldByName("timestamp"), T)
                .setField(METRIC.findFieldByName("datatype"), 11)
                .setField(METRIC.findFieldByName("metadata"), opaque)
                .setField(METRIC.findFieldByName("properties"), opaque)
                .setField(METRIC.findFieldByName("boolean_value"), true)
                .setUnknownFields(extension)
                .build();
        DynamicMessage dataset = DynamicMessage.newBuilder(METRIC)
                .setField(METRIC.findFieldByName("alias"), 99L)
                .setField(METRIC.findFieldByName("datatype"), 16)
                .setField(METRIC.findFieldByName("dataset_value"), opaque)
                .build();
        DynamicMessage int8 = DynamicMessage.newBuilder(METRIC)
                .setField(METRIC.findFieldByName("alias"), 5L)
                .setField(METRIC.findFieldByName("datatype"), 1)
                .setField(METRIC.findFieldByName("int_value"), 0xFF) // an Int8 -1 written at its own width
                .build();
        DynamicMessage payload = DynamicMessage.newBuilder(PAYLOAD)
                .setField(PAYLOAD.findFieldByName("timestamp"), T)
                .addRepeatedField(PAYLOAD.findFieldByName("metrics"), withEverything)
                .addRepeatedField(PAYLOAD.findFieldByName("metrics"), dataset)
                .addRepeatedField(PAYLOAD.findFieldByName("metrics"), int8)
                .setField(PAYLOAD.findFieldByName("uuid"), "u-1")
                .setField(PAYLOAD.findFieldByName("body"), ByteString.copyFrom(new byte[] {9}))
                .setUnknownFields(UnknownFieldSet.newBuilder().addField(6, UnknownFieldSet.Field.newBuilder()
                        .addFixed64(42).build()).build())
                .build();

        Payload read = Payload.decode(payload.toByteArray());
        assertThat(read.timestamp()).isEqualTo(T);
        assertThat(read.seq()).isNull();
        assertThat(read.uuid()).isEqualTo("u-1");
        assertThat(read.body()).containsExactly(9);
        assertThat(read.metrics().get(0)).isEqualTo(new Metric("Node Control/Rebirth", null, T, DataType.BOOLEAN,
                false, false, false, true));
        assertThat(read.metrics().get(1)).isEqualTo(new Metric(null, 99L, null, DataType.DATASET, false, false, false,
                null));
        assertThat(read.metric(5).value()).isEqualTo(-1L);
    }

    @Test
    void garbageAndMisfitsAreRefused() {
        assertThatThrownBy(() -> Payload.decode(new byte[] {0x12, 0x05, 0x0a})).isInstanceOf(
                InvalidProtocolBufferException.class); // metrics: 5 bytes announced, 1 there
        assertThatThrownBy(() -> new Payload(T, List.of(Metric.birth("x", 1L, DataType.UINT8, T, 256L)), 0L).encode())
                .hasMessageContaining("out of the range of UINT8");
        assertThatThrownBy(() -> new Payload(T, List.of(Metric.birth("x", 1L, DataType.INT8, T, -129L)), 0L).encode())
                .hasMessageContaining("out of the range of INT8");
        assertThatThrownBy(() -> new Payload(T, List.of(Metric.birth("x", 1L, DataType.BOOLEAN, T, 1L)), 0L).encode())
                .hasMessageContaining("needs a Boolean");
        assertThatThrownBy(() -> new Payload(T, List.of(Metric.birth("x", 1L, DataType.DATASET, T, 1L)), 0L).encode())
                .hasMessageContaining("does not write DATASET");
    }
}
