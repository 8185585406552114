package io.windrose.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** Values written by earlier versions of a schema (committed copies of those schemas) read as the current record. */
class AppendedFieldsReaderTest {
    private final AppendedFieldsReader<AlertEvent> reader = new AppendedFieldsReader<>(AlertEvent.class);

    @Test
    void readsTheCurrentVersionAndEachEarlierOne() throws IOException {
        AlertEvent current = AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("m").setRule("odd")
                .setLevel("critical").setState(AlertState.RAISED).setField("temperature").setValue(25).setThreshold(5)
                .setEventTime(Instant.ofEpochMilli(1_000)).setKind("anomaly").setScore(17.5).build();
        assertThat(reader.read(specific(current))).isEqualTo(current);

        for (String earlier : new String[] {"AlertEvent-v1.avsc", "AlertEvent-before-score.avsc"}) {
            Schema schema = schema(earlier);
            GenericRecord old = new GenericData.Record(schema);
            for (Schema.Field field : schema.getFields()) {
                old.put(field.name(), field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null);
            }
            old.put("sensorId", "s-2");
            old.put("measurement", "m");
            old.put("tags", Map.of("site", "a"));
            old.put("rule", "hot");
            old.put("level", "warning");
            old.put("state", new GenericData.EnumSymbol(schema.getField("state").schema(), "CLEARED"));
            old.put("field", "temperature");
            old.put("value", 29.0);
            old.put("threshold", 30.0);
            old.put("eventTime", 2_000L);
            AlertEvent read = reader.read(generic(old));
            assertThat(read.getSensorId()).as(earlier).isEqualTo("s-2");
            assertThat(read.getState()).as(earlier).isEqualTo(AlertState.CLEARED);
            assertThat(read.getEventTime()).as(earlier).isEqualTo(Instant.ofEpochMilli(2_000));
            assertThat(read.getTags()).as(earlier).containsEntry("site", "a");
            assertThat(read.getScore()).as(earlier + ": fields it has not got take their defaults").isNull();
            assertThat(read.getKind()).as(earlier).isEqualTo("threshold");
        }
    }

    @Test
    void aValueNoVersionReadsWholeFailsWithTheCurrentVersionsError() {
        assertThatThrownBy(() -> reader.read(new byte[] {2, 'x'})).isInstanceOf(IOException.class);
    }

    private static Schema schema(String resource) throws IOException {
        try (InputStream in = AppendedFieldsReaderTest.class.getResourceAsStream("/schemas/" + resource)) {
            Schema.Parser parser = new Schema.Parser();
            parser.parse(AlertState.getClassSchema().toString()); // referred to by name
            return parser.parse(in);
        }
    }

    private static byte[] specific(AlertEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(AlertEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] generic(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
