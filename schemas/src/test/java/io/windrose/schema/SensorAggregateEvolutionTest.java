package io.windrose.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Consumers built against the first SensorAggregate schema (test resource SensorAggregate-v1.avsc, as released) still
 * read aggregates with the new statistics: decoding new bytes with their own schema (Kafka values carry no schema id)
 * and by Avro's schema resolution; and today's readers read old records.
 */
class SensorAggregateEvolutionTest {
    @Test
    void anOldReaderDecodesAggregatesWithTheNewStatistics() throws IOException {
        SensorAggregate aggregate = SensorAggregate.newBuilder()
                .setMeasurement("sensors").setSensorId("s-1").setTags(Map.of("site", "a")).setWindow("1m/10s")
                .setWindowStart(Instant.ofEpochMilli(60_000)).setWindowEnd(Instant.ofEpochMilli(120_000))
                .setFields(Map.of("temperature", new FieldStats(100L, 1.0, 100.0, 50.5, 5050.0, 100.0),
                        "humidity", new FieldStats(2L, 40.0, 42.0, 41.0, 82.0, 42.0)))
                .setExtraStats(Map.of("temperature", new ExtraFieldStats(1.0, 29.0115, 50.0, 90.0, 95.0, 99.0)))
                .setRetracted(true)
                .build();
        byte[] bytes = encode(aggregate);
        Schema v1 = oldSchema();
        for (GenericRecord old : new GenericRecord[] {
                new GenericDatumReader<GenericRecord>(v1).read(null, DecoderFactory.get().binaryDecoder(bytes, null)),
                new GenericDatumReader<GenericRecord>(SensorAggregate.getClassSchema(), v1)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null))}) {
            assertThat(old.get("window").toString()).isEqualTo("1m/10s");
            @SuppressWarnings("unchecked")
            Map<Object, GenericRecord> fields = (Map<Object, GenericRecord>) old.get("fields");
            assertThat(fields).hasSize(2);
            GenericRecord temperature = fields.entrySet().stream().filter(e -> e.getKey().toString().equals("temperature"))
                    .findFirst().orElseThrow().getValue();
            assertThat(temperature.get("count")).isEqualTo(100L);
            assertThat(temperature.get("last")).isEqualTo(100.0);
            assertThat(old.getSchema().getField("extraStats")).isNull();
        }
    }

    @Test
    void aNewReaderReadsOldAggregatesWithoutExtraStatistics() throws IOException {
        Schema v1 = oldSchema();
        GenericRecord stats = new GenericData.Record(v1.getField("fields").schema().getValueType());
        stats.put("count", 1L);
        stats.put("min", 1.0);
        stats.put("max", 1.0);
        stats.put("mean", 1.0);
        stats.put("sum", 1.0);
        stats.put("last", 1.0);
        GenericRecord old = new GenericData.Record(v1);
        old.put("measurement", "sensors");
        old.put("sensorId", "s-1");
        old.put("tags", Map.of());
        old.put("window", "10s");
        old.put("windowStart", 0L);
        old.put("windowEnd", 10_000L);
        old.put("fields", Map.of("t", stats));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();
        SensorAggregate now = new SpecificDatumReader<SensorAggregate>(v1, SensorAggregate.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(now.getFields().get("t").getCount()).isEqualTo(1L);
        assertThat(now.getExtraStats()).isEmpty();
        assertThat(now.getRetracted()).isFalse();
    }

    private static Schema oldSchema() throws IOException {
        try (InputStream in = SensorAggregateEvolutionTest.class.getResourceAsStream("/SensorAggregate-v1.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static byte[] encode(SensorAggregate aggregate) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(SensorAggregate.class).write(aggregate, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
