package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping rules of a route, each written as the YAML a user would write. */
class MappingRulesTest {
    private static final long ARRIVAL = 1764144000999L;

    @TempDir
    Path dir;

    @Test
    void timestampFormats() throws Exception {
        assertThat(time("{format: epoch-s}", "1764144000")).isEqualTo(1764144000000L);
        assertThat(time("{format: epoch-s}", "1764144000.25")).as("Python's time.time()").isEqualTo(1764144000250L);
        assertThat(time("{format: epoch-ms}", "1764144000123")).isEqualTo(1764144000123L);
        assertThat(time("{format: epoch-ms}", "\"1764144000123\"")).as("as a string").isEqualTo(1764144000123L);
        assertThat(time("{format: epoch-us}", "1764144000123456")).isEqualTo(1764144000123L);
        assertThat(time("{format: epoch-ns}", "1764144000123456789")).isEqualTo(1764144000123L);
        assertThat(time("{format: iso-8601}", "\"2025-11-26T08:00:00Z\"")).isEqualTo(1764144000000L);
        assertThat(time("{format: iso-8601}", "\"2025-11-26T09:00:00.5+01:00\"")).isEqualTo(1764144000500L);
        assertThat(time("{format: iso-8601}", "\"2025-11-26 08:00:00\"")).as("space, no offset: UTC").isEqualTo(1764144000000L);
        assertThat(time("{format: iso-8601, zone: America/New_York}", "\"2025-11-26T03:00:00\"")).isEqualTo(1764144000000L);
        assertThat(time("{format: arrival}", "\"ignored\"")).isEqualTo(ARRIVAL);
        assertThat(time("{path: meta.time, format: epoch-ms}", null)).as("nested path").isEqualTo(1764144000000L);
    }

    @Test
    void badTimestamps() {
        for (String[] c : new String[][] {{"{format: epoch-s}", "99999999999999999"}, {"{format: epoch-ms}", "-1"},
                {"{format: epoch-ms}", "\"soon\""}, {"{format: iso-8601}", "1764144000"},
                {"{format: iso-8601}", "\"26.11.2025 08:00\""}, {"{format: iso-8601}", "\"1969-12-31T23:59:59Z\""},
                {"{format: epoch-ns}", "1e30"}}) {
            assertThatThrownBy(() -> time(c[0], c[1])).as(c[0] + " " + c[1]).isInstanceOfSatisfying(DecodeException.class,
                    e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.BAD_TIMESTAMP));
        }
    }

    @Test
    void fieldsFlattenedSelectedFilteredAndRenamed() throws Exception {
        String payload = "{\"sensor\":\"s\",\"ts\":1,\"a\":{\"b\":1,\"c\":{\"d\":2}},\"e\":3,\"s\":\"4.5\",\"on\":true,"
                + "\"list\":[5,6]}";
        assertThat(fields("{}", payload)).isEqualTo(Map.of("a_b", 1.0, "a_c_d", 2.0, "e", 3.0));
        assertThat(fields("{separator: .}", payload)).isEqualTo(Map.of("a.b", 1.0, "a.c.d", 2.0, "e", 3.0));
        assertThat(fields("{numeric-strings: true, booleans: true}", payload))
                .isEqualTo(Map.of("a_b", 1.0, "a_c_d", 2.0, "e", 3.0, "s", 4.5, "on", 1.0));
        assertThat(fields("{paths: [a]}", payload)).as("names relative to the path").isEqualTo(Map.of("b", 1.0, "c_d", 2.0));
        assertThat(fields("{paths: [a.c.d, list.1]}", payload)).isEqualTo(Map.of("d", 2.0, "1", 6.0));
        assertThat(fields("{include: ['a_*']}", payload)).isEqualTo(Map.of("a_b", 1.0, "a_c_d", 2.0));
        assertThat(fields("{exclude: ['a_*']}", payload)).isEqualTo(Map.of("e", 3.0));
        assertThat(fields("{rename: {a_b: bee}, exclude: [a_c_d]}", payload)).isEqualTo(Map.of("bee", 1.0, "e", 3.0));
        assertThatThrownBy(() -> fields("{include: [x]}", payload)).isInstanceOfSatisfying(DecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.NO_FIELDS));
    }

    @Test
    void sensorIdFromAPayloadPath() throws Exception {
        SensorReading r = decode("sensor-path: device.id\n", "{\"device\":{\"id\":42},\"ts\":1,\"t\":1}");
        assertThat(r.getSensorId()).isEqualTo("42");
        assertThat(r.getFields()).as("the id is no field").isEqualTo(Map.of("t", 1.0));
    }

    @Test
    void avroSingleObjectFindsTheSchemaByFingerprintAmongWindrosesOwn() throws Exception {
        Route route = route("""
                format: avro
                sensor-path: sensorId
                fields: {paths: [fields]}
                timestamp: {path: eventTime}
                """);
        SensorReading upstream = SensorReading.newBuilder().setMeasurement("m").setSensorId("up-1").setTags(Map.of())
                .setEventTime(java.time.Instant.ofEpochMilli(1764144000000L)).setFields(Map.of("t", 1.5, "h", 2.0))
                .setTopic("").build();
        java.nio.ByteBuffer buffer = upstream.toByteBuffer(); // Avro single-object encoding
        byte[] payload = new byte[buffer.remaining()];
        buffer.get(payload);
        SensorReading r = route.decode(payload, "x/s", ARRIVAL, route.accept("x/s").orElseThrow());
        assertThat(r.getSensorId()).isEqualTo("up-1");
        assertThat(r.getTags()).isEqualTo(Map.of("site", "s"));
        assertThat(r.getEventTime().toEpochMilli()).isEqualTo(1764144000000L);
        assertThat(r.getFields()).isEqualTo(Map.of("t", 1.5, "h", 2.0));

        payload[5] ^= 0x55; // another fingerprint
        assertThatThrownBy(() -> route.decode(payload, "x/s", ARRIVAL, Map.of("site", "s")))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
                    assertThat(e.getMessage()).contains("avro.schemas");
                });
    }

    @Test
    void badRouteConfigNamesTheKey() {
        assertThatThrownBy(() -> route("timestamp: {format: epoch-minutes}\n")).hasMessageContaining("routes[0].timestamp.format")
                .hasMessageContaining("epoch-ms");
        assertThatThrownBy(() -> route("timestamp: {format: iso-8601, zone: Mars/Olympus}\n"))
                .hasMessageContaining("routes[0].timestamp.zone");
        assertThatThrownBy(() -> route("fields: {paths: ['a..b']}\n")).hasMessageContaining("routes[0].fields.paths[0]");
        assertThatThrownBy(() -> route("format: protobuf\n")).hasMessageContaining("routes[0].format");
        assertThatThrownBy(() -> route("format: value\ntimestamp: {format: epoch-ms}\n"))
                .hasMessageContaining("routes[0].timestamp.format").hasMessageContaining("arrival");
        assertThatThrownBy(() -> route("format: value\n")).hasMessageContaining("routes[0].topic-template")
                .hasMessageContaining("{sensor}");
        assertThatThrownBy(() -> route("format: avro\navro: {encoding: binary}\n")).hasMessageContaining("routes[0].avro.schemas");
        assertThatThrownBy(() -> route("format: avro\navro: {schemas: [/nonexistent/x.avsc]}\n"))
                .hasMessageContaining("routes[0].avro.schemas").hasMessageContaining("/nonexistent/x.avsc");
        assertThatThrownBy(() -> route("fields: {numeric-string: true}\n")).hasMessageContaining("routes[0].fields.numeric-string");
    }

    private long time(String timestamp, String value) throws Exception {
        String payload = value == null ? "{\"sensor\":\"s\",\"meta\":{\"time\":1764144000000},\"t\":1}"
                : "{\"sensor\":\"s\",\"ts\":" + value + ",\"t\":1}";
        return decode("timestamp: " + timestamp + "\n", payload).getEventTime().toEpochMilli();
    }

    private Map<String, Double> fields(String fields, String payload) throws Exception {
        return decode("fields: " + fields + "\n", payload).getFields();
    }

    private SensorReading decode(String routeYaml, String payload) throws Exception {
        Route route = route(routeYaml);
        String topic = "x/s";
        return route.decode(payload.getBytes(StandardCharsets.UTF_8), topic, ARRIVAL, route.accept(topic).orElseThrow());
    }

    private Route route(String routeYaml) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "routes:\n  - name: r\n    topic-template: x/{site}\n"
                + routeYaml.indent(4));
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
        return Routes.of(config.routes).get(0);
    }
}
