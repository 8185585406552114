package io.windrose.reading;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.junit.jupiter.api.Test;

/** Flink's own serializer checks (copy, snapshot and restore, duplicates, concurrent use), and Avro's values. */
class SensorReadingSerializerTest extends SerializerTestBase<SensorReading> {
    @Override
    protected TypeSerializer<SensorReading> createSerializer() {
        return new SensorReadingSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SensorReading> getTypeClass() {
        return SensorReading.class;
    }

    @Override
    protected SensorReading[] getTestData() {
        Map<String, Double> many = new LinkedHashMap<>();
        Map<String, String> manyTags = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) { // more names than the serializer keeps slots for
            many.put("f" + i, i * 0.5);
            manyTags.put("t" + i, "v" + i);
        }
        return new SensorReading[] {
                reading("sensors", "s-1", Map.of("site", "site-a"), 1_764_000_000_000L,
                        Map.of("temperature", 21.5, "humidity", 40.0), "sensors/site-a/s-1"),
                reading("sensors", "s-2", Map.of("site", "site-b"), 1_764_000_001_000L,
                        Map.of("temperature", 22.5, "humidity", 41.0), "sensors/site-b/s-2"),
                reading("sensors", "s-1", Map.of("site", "site-a"), 1_764_000_002_000L,
                        Map.of("temperature", -0.0, "humidity", Double.NaN), "sensors/site-a/s-1"),
                reading("", "", Map.of(), Long.MIN_VALUE / 1000, Map.of(), ""),
                reading("Zähler", "Gerät-ü-€-😀", Map.of("Ort", "Köln", "x".repeat(300), "y".repeat(70_000)), -1L,
                        Map.of("Leistung", Double.MAX_VALUE, "e", Double.NEGATIVE_INFINITY), "ä/b"),
                reading("m", "s", Map.of(), 0L, many, "t".repeat(1000)),
                reading("m", "s", manyTags, 1L, many, "t"),
        };
    }

    @Test
    void readingsComeBackAsAvrosRoundTripMakesThem() throws Exception {
        TypeSerializer<SensorReading> avro = new AvroTypeInfo<>(SensorReading.class)
                .createSerializer(new SerializerConfigImpl());
        TypeSerializer<SensorReading> ours = createSerializer();
        for (SensorReading reading : getTestData()) {
            SensorReading viaAvro = roundTrip(avro, reading);
            SensorReading viaOurs = roundTrip(ours, reading);
            assertThat(viaOurs).isEqualTo(viaAvro).isEqualTo(reading);
            assertThat(viaOurs.getFields()).isInstanceOf(HashMap.class);
            assertThat(viaOurs.getTags()).isInstanceOf(HashMap.class);
        }
    }

    @Test
    void eventTimeKeepsMillisecondsAsAvrosDoes() throws Exception {
        SensorReading reading = reading("m", "s", Map.of(), 0L, Map.of("v", 1.0), "t");
        reading.setEventTime(Instant.ofEpochMilli(1_764_000_000_123L).plusNanos(456_789));
        TypeSerializer<SensorReading> avro = new AvroTypeInfo<>(SensorReading.class)
                .createSerializer(new SerializerConfigImpl());
        assertThat(roundTrip(createSerializer(), reading).getEventTime())
                .isEqualTo(roundTrip(avro, reading).getEventTime())
                .isEqualTo(Instant.ofEpochMilli(1_764_000_000_123L));
    }

    @Test
    void namesRepeatedFromTheReadingBeforeAreTheSameStrings() throws Exception {
        TypeSerializer<SensorReading> serializer = createSerializer();
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(reading("sensors", "s-1", Map.of("site", "a"), 1L, Map.of("temperature", 1.0), "x/1"), out);
        serializer.serialize(reading("sensors", "s-2", Map.of("site", "a"), 2L, Map.of("temperature", 2.0), "x/2"), out);
        serializer.serialize(reading("sensors", "s-3", Map.of("site", "b"), 3L, Map.of("temperaturf", 3.0), "x/3"), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        SensorReading first = serializer.deserialize(in);
        SensorReading second = serializer.deserialize(in);
        SensorReading third = serializer.deserialize(in);
        assertThat(second.getMeasurement()).isSameAs(first.getMeasurement());
        assertThat(second.getFields().keySet().iterator().next()).isSameAs(first.getFields().keySet().iterator().next());
        assertThat(second.getTags().get("site")).isSameAs(first.getTags().get("site"));
        assertThat(third.getTags()).containsEntry("site", "b");
        assertThat(third.getFields()).containsOnlyKeys("temperaturf");
        assertThat(third.getSensorId()).isEqualTo("s-3");
        assertThat(in.available()).isZero();
    }

    private static SensorReading roundTrip(TypeSerializer<SensorReading> serializer, SensorReading reading)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(reading, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static SensorReading reading(String measurement, String sensorId, Map<String, String> tags, long millis,
            Map<String, Double> fields, String topic) {
        return new SensorReading(measurement, sensorId, new HashMap<>(tags), Instant.ofEpochMilli(millis),
                new HashMap<>(fields), topic);
    }
}
