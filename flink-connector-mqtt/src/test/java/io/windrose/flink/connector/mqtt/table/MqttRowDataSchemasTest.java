package io.windrose.flink.connector.mqtt.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.flink.connector.mqtt.sink.MqttOutgoingRecord;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

/** The rows a source table makes of a message, and the messages a sink table makes of a row. */
class MqttRowDataSchemasTest {

    @Test
    void aSourceRowIsThePayloadsColumnsThenTheMetadataInTheOrderAsked() throws Exception {
        MqttRowDataDeserializationSchema schema = new MqttRowDataDeserializationSchema(new PayloadAsString(),
                List.of(MqttReadableMetadata.USER_PROPERTIES, MqttReadableMetadata.TOPIC,
                        MqttReadableMetadata.RECEIVED_AT, MqttReadableMetadata.CONTENT_TYPE, MqttReadableMetadata.QOS,
                        MqttReadableMetadata.RETAINED), null);
        MqttRecord record = new MqttRecord("a/b", bytes("hi"), 2, true, 1_700_000_000_123L, List.of(
                new MqttRecord.UserProperty("site", "north"), new MqttRecord.UserProperty("unit", "C"),
                new MqttRecord.UserProperty("site", "south")), null, null, null);
        List<RowData> rows = collect(schema, record);
        assertThat(rows).hasSize(1);
        RowData row = rows.get(0);
        assertThat(row.getArity()).isEqualTo(7);
        assertThat(row.getString(0).toString()).isEqualTo("hi");
        MapData properties = row.getMap(1);
        assertThat(properties.size()).isEqualTo(2); // a repeated name keeps its last value
        assertThat(((GenericMapData) properties).get(StringData.fromString("site")))
                .isEqualTo(StringData.fromString("south"));
        assertThat(row.getString(2).toString()).isEqualTo("a/b");
        assertThat(row.getTimestamp(3, 3)).isEqualTo(TimestampData.fromEpochMillis(1_700_000_000_123L));
        assertThat(row.isNullAt(4)).isTrue(); // no content type
        assertThat(row.getInt(5)).isEqualTo(2);
        assertThat(row.getBoolean(6)).isTrue();
    }

    @Test
    void aPayloadTheFormatSkipsMakesNoRow() throws Exception {
        MqttRowDataDeserializationSchema schema = new MqttRowDataDeserializationSchema(new PayloadAsString(),
                List.of(MqttReadableMetadata.TOPIC), null);
        Map<String, Counter> counters = new HashMap<>();
        schema.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup() {
                    @Override
                    public MetricGroup addGroup(String name) {
                        return new UnregisteredMetricsGroup() {
                            @Override
                            public Counter counter(String counter) {
                                return counters.computeIfAbsent(name + "." + counter, k -> new SimpleCounter());
                            }
                        };
                    }
                };
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        });
        assertThat(collect(schema, new MqttRecord("a", bytes("skip"), 1, false, 0))).isEmpty();
        assertThat(collect(schema, new MqttRecord("a", bytes("kept"), 1, false, 0))).hasSize(1);
        assertThat(collect(schema, new MqttRecord("a", bytes("skip"), 1, false, 0))).isEmpty();
        assertThat(counters.get(MqttRowDataDeserializationSchema.SKIPPED_METRIC).getCount()).as("counted, not silent")
                .isEqualTo(2);
    }

    @Test
    void aSinkRowsMetadataGoesIntoTheMessageAndItsNullsFallBackToTheTablesOptions() {
        Map<MqttWritableMetadata, Integer> positions = new HashMap<>();
        positions.put(MqttWritableMetadata.TOPIC, 1);
        positions.put(MqttWritableMetadata.QOS, 2);
        positions.put(MqttWritableMetadata.RETAIN, 3);
        positions.put(MqttWritableMetadata.USER_PROPERTIES, 4);
        positions.put(MqttWritableMetadata.MESSAGE_EXPIRY, 5);
        MqttRowDataSerializationSchema schema = new MqttRowDataSerializationSchema(new FirstColumn(), 1, positions,
                "default/topic", 2);
        Map<StringData, StringData> properties = new HashMap<>();
        properties.put(StringData.fromString("site"), StringData.fromString("north"));
        properties.put(StringData.fromString("gone"), null);
        MqttOutgoingRecord full = schema.serialize(GenericRowData.of(StringData.fromString("p"),
                StringData.fromString("out/a"), 0, true, new GenericMapData(properties), 60L));
        assertThat(full.topic()).isEqualTo("out/a");
        assertThat(new String(full.payload(), StandardCharsets.UTF_8)).isEqualTo("p");
        assertThat(full.qos()).isZero();
        assertThat(full.retain()).isTrue();
        assertThat(full.userProperties()).containsExactly(new MqttOutgoingRecord.UserProperty("site", "north"));
        assertThat(full.messageExpirySeconds()).hasValue(60L);

        MqttOutgoingRecord nulls = schema.serialize(GenericRowData.of(null, null, null, null, null, null));
        assertThat(nulls.topic()).isEqualTo("default/topic");
        assertThat(nulls.payload()).isEmpty(); // a null value encodes to no bytes
        assertThat(nulls.qos()).isEqualTo(2);
        assertThat(nulls.retain()).isFalse();
        assertThat(nulls.userProperties()).isEmpty();
        assertThat(nulls.messageExpirySeconds()).isEmpty();
    }

    @Test
    void aRowWithoutAnyTopicFailsNamingBothSources() {
        MqttRowDataSerializationSchema schema = new MqttRowDataSerializationSchema(new FirstColumn(), 1,
                Map.of(MqttWritableMetadata.TOPIC, 1), null, 1);
        assertThatThrownBy(() -> schema.serialize(GenericRowData.of(StringData.fromString("p"), null)))
                .hasMessageContaining("'topic' metadata column is null")
                .hasMessageContaining("no 'topic' option");
        assertThatThrownBy(() -> schema.serialize(GenericRowData.of(StringData.fromString("p"),
                StringData.fromString("out/+")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out/+");
    }

    private static List<RowData> collect(MqttRowDataDeserializationSchema schema, MqttRecord record) throws Exception {
        List<RowData> rows = new ArrayList<>();
        schema.deserialize(record, new Collector<>() {
            @Override
            public void collect(RowData row) {
                rows.add(row);
            }

            @Override
            public void close() {}
        });
        return rows;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A one-column format: the payload as a string; "skip" decodes to nothing (as a format skipping bad input). */
    private static final class PayloadAsString implements DeserializationSchema<RowData> {
        @Override
        public RowData deserialize(byte[] message) {
            String s = new String(message, StandardCharsets.UTF_8);
            return s.equals("skip") ? null : GenericRowData.of(StringData.fromString(s));
        }

        @Override
        public boolean isEndOfStream(RowData nextElement) {
            return false;
        }

        @Override
        public TypeInformation<RowData> getProducedType() {
            return null;
        }
    }

    /** Encodes the row's first column (a string) as its bytes, a null one as null (as raw does). */
    private static final class FirstColumn implements SerializationSchema<RowData> {
        @Override
        public byte[] serialize(RowData row) {
            assertThat(row.getArity()).isEqualTo(1); // the format sees the physical columns only
            return row.isNullAt(0) ? null : row.getString(0).toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
