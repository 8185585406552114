package io.windrose.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * Consumers built against the first AlertEvent schema (test resource AlertEvent-v1.avsc, as released) still read what
 * the job writes now: Kafka values are plain Avro binary without a schema id, so an old consumer decodes new bytes
 * with its own schema — which works only because the new fields come after all the old ones — and a consumer that
 * knows both schemas resolves them by Avro's rules.
 */
class AlertEventEvolutionTest {
    @Test
    void anOldReaderDecodesNewRecords() throws IOException {
        Schema v1 = oldSchema();
        AlertEvent event = AlertEvent.newBuilder()
                .setSensorId("s-1").setMeasurement("sensors").setTags(Map.of("site", "a")).setRule("too-hot")
                .setLevel("critical").setState(AlertState.RAISED).setField("temperature").setValue(41.0)
                .setThreshold(40.0).setEventTime(Instant.ofEpochMilli(1_764_144_000_000L))
                .setKind("threshold").setPreviousLevel("warning").setStartedAt(Instant.ofEpochMilli(1_764_143_990_000L))
                .setDurationMs(10_000L).setFlapping(false).setMessage("s-1 at a: temperature 41.0 above 40.0")
                .build();
        byte[] bytes = encode(event);

        for (GenericRecord old : new GenericRecord[] {
                // what an old consumer does with a plain Avro value: its schema as the writer's
                new GenericDatumReader<GenericRecord>(v1).read(null, DecoderFactory.get().binaryDecoder(bytes, null)),
                // a consumer that knows the writer's schema resolves it to its own
                new GenericDatumReader<GenericRecord>(AlertEvent.getClassSchema(), v1)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null))}) {
            assertThat(old.get("sensorId").toString()).isEqualTo("s-1");
            assertThat(old.get("level").toString()).isEqualTo("critical");
            assertThat(old.get("state").toString()).isEqualTo("RAISED");
            assertThat(old.get("value")).isEqualTo(41.0);
            assertThat(old.get("threshold")).isEqualTo(40.0);
            assertThat(old.get("eventTime")).isEqualTo(1_764_144_000_000L);
            assertThat(old.getSchema().getField("kind")).isNull();
        }
    }

    @Test
    void aNewReaderFillsDefaultsIntoOldRecords() throws IOException {
        Schema v1 = oldSchema();
        GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
        old.put("sensorId", "s-1");
        old.put("measurement", "sensors");
        old.put("tags", Map.of());
        old.put("rule", "r");
        old.put("level", "warning");
        old.put("state", new org.apache.avro.generic.GenericData.EnumSymbol(v1.getField("state").schema(), "CLEARED"));
        old.put("field", "t");
        old.put("value", 1.0);
        old.put("threshold", 2.0);
        old.put("eventTime", 5L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();
        AlertEvent now = new org.apache.avro.specific.SpecificDatumReader<AlertEvent>(v1, AlertEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(now.getKind()).isEqualTo("threshold");
        assertThat(now.getFlapping()).isFalse();
        assertThat(now.getMessage()).isNull();
        assertThat(now.getState()).isEqualTo(AlertState.CLEARED);
    }

    @Test
    void theAlertStateEnumKeepsExactlyItsTwoSymbols() {
        // a new symbol would be undecodable for every existing reader
        assertThat(AlertState.getClassSchema().getEnumSymbols()).containsExactly("RAISED", "CLEARED");
    }

    private static Schema oldSchema() throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(AlertState.getClassSchema().toString());
        try (InputStream in = AlertEventEvolutionTest.class.getResourceAsStream("/AlertEvent-v1.avsc")) {
            return parser.parse(in);
        }
    }

    private static byte[] encode(AlertEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AlertEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
