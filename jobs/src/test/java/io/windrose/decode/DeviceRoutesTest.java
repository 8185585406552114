package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.config.PipelineConfig;
import io.windrose.config.PipelineConfigLoader;
import io.windrose.schema.SensorReading;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The example routes of local-cluster/examples/device-routes.yaml decode the device payloads they describe. */
class DeviceRoutesTest {
    static final Path EXAMPLES = Path.of("..", "local-cluster", "examples").toAbsolutePath().normalize();
    static final Path GATEWAY_SCHEMA = EXAMPLES.resolve("schemas/GatewayReading.avsc");
    private static final long ARRIVAL = 1764144000500L;

    private final List<Route> routes = Routes.of(examples());

    /** The example file as the job would load it, the gateway schema path made absolute for the test's directory. */
    static PipelineConfig examples() {
        return new PipelineConfigLoader().load(EXAMPLES.resolve("device-routes.yaml"),
                List.of("routes.4.avro.schemas=[\"" + GATEWAY_SCHEMA + "\"]"));
    }

    @Test
    void canonicalJson() throws DecodeException {
        SensorReading r = decode("sensors/site-a/s-1",
                "{\"sensor\":\"s-1\",\"ts\":1764144000000,\"temperature\":21.4,\"humidity\":40.1}");
        assertThat(r.getMeasurement()).isEqualTo("sensors");
        assertThat(r.getSensorId()).isEqualTo("s-1");
        assertThat(r.getTags()).isEqualTo(Map.of("site", "site-a"));
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764144000000L));
        assertThat(r.getFields()).isEqualTo(Map.of("temperature", 21.4, "humidity", 40.1));
    }

    @Test
    void zigbeeBridgeWithNumericStringsBooleansAndAnIsoTime() throws DecodeException {
        SensorReading r = decode("zigbee2mqtt/living_room", "{\"battery\":97,\"humidity\":\"48.5\",\"temperature\":21.3,"
                + "\"contact\":true,\"linkquality\":120,\"last_seen\":\"2026-11-26T08:00:00.000Z\","
                + "\"update\":{\"state\":\"idle\"},\"color\":[1,2]}");
        assertThat(r.getSensorId()).isEqualTo("living_room");
        assertThat(r.getTags()).isEmpty();
        assertThat(r.getEventTime()).isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(r.getFields()).isEqualTo(Map.of("battery", 97.0, "humidity", 48.5, "temperature", 21.3, "contact", 1.0));
    }

    @Test
    void tasmotaNestedWithLocalTime() throws DecodeException {
        SensorReading r = decode("tele/plug-1/SENSOR", "{\"Time\":\"2026-11-26T09:00:00\",\"ENERGY\":{\"Power\":95,"
                + "\"Voltage\":229,\"Today\":1.25},\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45},\"TempUnit\":\"C\"}");
        assertThat(r.getSensorId()).isEqualTo("plug-1");
        assertThat(r.getEventTime()).as("09:00 in Berlin is 08:00 UTC in November")
                .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(r.getFields()).isEqualTo(Map.of("power", 95.0, "voltage", 229.0, "temperature", 21.3,
                "AM2301_Humidity", 45.0));
    }

    @Test
    void plainValueNamedByTheTopic() throws DecodeException {
        SensorReading r = decode("shellies/shellyht-1/sensor/temperature", " 21.5\n");
        assertThat(r.getSensorId()).isEqualTo("shellyht-1");
        assertThat(r.getTags()).isEmpty();
        assertThat(r.getFields()).isEqualTo(Map.of("temperature", 21.5));
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(ARRIVAL));
    }

    @Test
    void avroGatewayWithAMultiLevelCapture() throws Exception {
        SensorReading r = decode("plant/hall-1/line-4/gateway", gatewayRecord("press-7", 1764144000000L,
                Map.of("pressure", 4.2, "temperature", 61.0)));
        assertThat(r.getMeasurement()).isEqualTo("gateway");
        assertThat(r.getSensorId()).isEqualTo("press-7");
        assertThat(r.getTags()).isEqualTo(Map.of("line", "hall-1/line-4"));
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764144000000L));
        assertThat(r.getFields()).isEqualTo(Map.of("pressure", 4.2, "temperature", 61.0));
    }

    /** A GatewayReading in plain Avro binary, as the example gateway publishes it. */
    static byte[] gatewayRecord(String device, long timestamp, Map<String, Double> values) throws IOException {
        Schema schema = new Schema.Parser().parse(GATEWAY_SCHEMA.toFile());
        GenericRecord record = new GenericData.Record(schema);
        record.put("device", device);
        record.put("timestamp", timestamp);
        record.put("values", values);
        record.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), "OK"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private SensorReading decode(String topic, String payload) throws DecodeException {
        return decode(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private SensorReading decode(String topic, byte[] payload) throws DecodeException {
        for (Route route : routes) {
            Optional<Map<String, String>> captured = route.accept(topic);
            if (captured.isPresent()) {
                return route.decode(payload, topic, ARRIVAL, captured.get());
            }
        }
        throw new AssertionError("no example route takes " + topic);
    }
}
