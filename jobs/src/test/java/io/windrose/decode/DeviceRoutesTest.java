package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.DevicePayloads;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example routes of local-cluster/examples/device-routes.yaml decode the device payloads they describe. */
class DeviceRoutesTest {
    static final Path EXAMPLES = Path.of("..", "local-cluster", "examples").toAbsolutePath().normalize();
    static final Path GATEWAY_SCHEMA = EXAMPLES.resolve("schemas/GatewayReading.avsc");
    private static final long T = 1764144000000L;
    private static final long ARRIVAL = 1764144000500L;

    private final List<Route> routes = Routes.of(examples().routes);

    /** The example file as the job loads it. */
    static PipelineConfig examples() {
        return new PipelineConfigLoader().load(EXAMPLES.resolve("device-routes.yaml"), List.of());
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
        SensorReading r = decode("zigbee2mqtt/living_room", DevicePayloads.zigbee(T, 21.3, 48.5, true));
        assertThat(r.getSensorId()).isEqualTo("living_room");
        assertThat(r.getTags()).isEmpty();
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(r.getFields()).isEqualTo(Map.of("battery", 97.0, "humidity", 48.5, "temperature", 21.3, "contact", 1.0));
    }

    @Test
    void tasmotaNestedWithLocalTime() throws DecodeException {
        SensorReading r = decode("tele/plug-1/SENSOR", "{\"Time\":\"2026-11-26T09:00:00\",\"ENERGY\":{\"Power\":95,"
                + "\"Voltage\":229,\"Today\":1.25},\"AM2301\":{\"Temperature\":21.3,\"Humidity\":45},\"TempUnit\":\"C\"}");
        assertThat(decode("tele/plug-1/SENSOR", DevicePayloads.tasmota(T, 95, 229)).getEventTime())
                .isEqualTo(Instant.ofEpochMilli(T));
        assertThat(r.getSensorId()).isEqualTo("plug-1");
        assertThat(r.getEventTime()).as("09:00 in Berlin is 08:00 UTC in November")
                .isEqualTo(Instant.parse("2026-11-26T08:00:00Z"));
        assertThat(r.getFields()).isEqualTo(Map.of("power", 95.0, "voltage", 229.0, "temperature", 21.3,
                "AM2301_Humidity", 45.0));
    }

    @Test
    void plainValueNamedByTheTopic() throws DecodeException {
        SensorReading r = decode("shellies/shellyht-1/sensor/temperature", " 21.5\n");
        assertThat(decode("shellies/shellyht-1/sensor/temperature", DevicePayloads.shelly(21.5)).getFields())
                .isEqualTo(Map.of("temperature", 21.5));
        assertThat(r.getSensorId()).isEqualTo("shellyht-1");
        assertThat(r.getTags()).isEmpty();
        assertThat(r.getFields()).isEqualTo(Map.of("temperature", 21.5));
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(ARRIVAL));
    }

    @Test
    void avroGatewayWithAMultiLevelCapture() throws DecodeException {
        SensorReading r = decode("plant/hall-1/line-4/gateway", gatewayRecord("press-7", 1764144000000L,
                Map.of("pressure", 4.2, "temperature", 61.0)));
        assertThat(r.getMeasurement()).isEqualTo("gateway");
        assertThat(r.getSensorId()).isEqualTo("press-7");
        assertThat(r.getTags()).isEqualTo(Map.of("line", "hall-1/line-4"));
        assertThat(r.getEventTime()).isEqualTo(Instant.ofEpochMilli(1764144000000L));
        assertThat(r.getFields()).isEqualTo(Map.of("pressure", 4.2, "temperature", 61.0));
    }

    @Test
    void eachRouteDescribesItselfForTheStartUpLog() {
        List<String> lines = examples().routes.stream().map(Routes::describe).toList();
        assertThat(lines.get(1)).isEqualTo("route zigbee: topics [zigbee2mqtt/+] template zigbee2mqtt/{sensor}, format json,"
                + " measurement zigbee, sensor id from {sensor}, event time from 'last_seen' as iso-8601 (zone UTC), fields"
                + " from the whole payload, exclude [linkquality], numeric strings, booleans");
        assertThat(lines.get(3)).contains("format value", "event time = arrival").doesNotContain("fields from");
        assertThat(lines.get(4)).contains("topics [plant/#]", "format avro (binary)", "sensor id from payload 'device'",
                "fields from [values]");
    }

    @Test
    void theRoutesPageShowsExactlyTheseExamples() throws IOException {
        String examples = Files.readString(EXAMPLES.resolve("device-routes.yaml"));
        String page = Files.readString(EXAMPLES.resolve("../../docs/routes.md"));
        // the file from its first line that starts with routes: (the header comment mentions routes: too)
        Matcher routes = Pattern.compile("(?m)^routes:").matcher(examples);
        assertThat(routes.find()).as("a routes: line in device-routes.yaml").isTrue();
        assertThat(page).contains("```yaml\n" + examples.substring(routes.start()).strip() + "\n```");
    }

    /** A GatewayReading in plain Avro binary, as the example gateway publishes it. */
    static byte[] gatewayRecord(String device, long timestamp, Map<String, Double> values) {
        return new DevicePayloads(GATEWAY_SCHEMA).gateway(device, timestamp, values);
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
