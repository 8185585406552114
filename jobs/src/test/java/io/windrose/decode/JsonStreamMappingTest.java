package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-pass JSON reader gives exactly the tree's reading, and leaves every other payload to the tree: each payload
 * (hand-written edge cases, the hostile inputs, generated objects) decoded by each route with and without it gives the
 * same reading or the same dead letter (reason and message).
 */
class JsonStreamMappingTest {
    private static final long ARRIVAL = 1764144000999L;
    private static final String[] ROUTES = {
        "",
        "sensor-path: meta.id\ntimestamp: {path: meta.time, format: epoch-s}\n",
        "fields: {separator: ., include: ['t*', 'a.*'], exclude: [tz], rename: {t: temperature, a.b: ab}}\n",
        "fields: {numeric-strings: true, booleans: true}\ntimestamp: {format: iso-8601, zone: Europe/Berlin}\n",
        "timestamp: {format: arrival}\nsensor-path: id\n",
        "sensor-path: ids.0\n", // an index: the tree only
        "fields: {paths: [values]}\n", // field paths: the tree only
    };

    @TempDir
    Path dir;

    @Test
    void givesTheTreesReadingOrLeavesThePayloadToTheTree() throws Exception {
        List<String> payloads = new ArrayList<>(List.of(
                "{\"sensor\":\"s-1\",\"ts\":1764144000000,\"temperature\":21.5,\"humidity\":45.25,\"battery\":3.7}",
                "{\"sensor\":7,\"ts\":\"1764144000\",\"t\":1,\"tz\":2,\"a\":{\"b\":3,\"c\":{\"d\":4}},\"e\":-0.0}",
                "{\"meta\":{\"id\":\"m-1\",\"time\":1764144000.25,\"rssi\":-40},\"t\":\"21.5\",\"on\":true,\"off\":\"off\"}",
                "{\"sensor\":\"s\",\"ts\":\"2025-11-26T08:00:00\",\"t\":1e3,\"big\":123456789012345678901234567890,"
                        + "\"long\":9007199254740993,\"tiny\":4.9e-324,\"n\":null}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":1,\"t\":\"x\"}", // a name twice: the tree keeps the last value
                "{\"sensor\":\"s\",\"ts\":1,\"a_b\":1,\"a\":{\"b\":2}}", // two members flatten to one name
                "{\"sensor\":\"s\",\"ts\":1,\"a\":{\"b\":2},\"a_b\":1}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":1,\"list\":[1,\"x\",{\"y\":2}]}",
                "{\"sensor\":{\"id\":\"s\"},\"ts\":1,\"t\":1}", "{\"sensor\":[\"s\"],\"ts\":1,\"t\":1}",
                "{\"ids\":[\"i-1\"],\"ts\":1,\"t\":1}", "{\"sensor\":\"s\",\"ts\":1,\"values\":{\"t\":1,\"u\":{\"v\":2}}}",
                "{\"sensor\":\"s\",\"ts\":{\"ms\":1},\"t\":1}", "{\"sensor\":\" \",\"ts\":1,\"t\":1}",
                "{\"sensor\":\"s\",\"ts\":null,\"t\":1}", "{\"sensor\":\"s\",\"ts\":1,\"t\":NaN}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":\"NaN\"}", "{\"sensor\":\"s\",\"ts\":1}", "{}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":1} {}", "{\"sensor\":\"s\",\"ts\":1,\"t\":1}  \n", "[1]", "7", "",
                "{\"meta_id\":\"x\",\"meta\":{\"id\":\"m\",\"time\":5},\"t\":1}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":1," + wide(999) + "}",
                "{\"sensor\":\"s\",\"ts\":1,\"t\":1," + wide(1_001) + "}"));
        Random random = new Random(17);
        for (int i = 0; i < 500; i++) {
            payloads.add(generated(random, 0));
        }
        List<byte[]> inputs = new ArrayList<>(payloads.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList());
        HostileInputs.cases("x", 5).forEach(c -> inputs.add(c.payload()));

        int streamed = 0;
        for (String routeYaml : ROUTES) {
            TreeMapping mapping = mapping(routeYaml);
            JsonPayloadDecoder withStream = new JsonPayloadDecoder(mapping, true);
            JsonPayloadDecoder treeOnly = new JsonPayloadDecoder(mapping, false);
            JsonStreamMapping stream = JsonStreamMapping.of(mapping);
            for (TopicMatch match : List.of(match(null), match("s-topic"))) {
                for (byte[] input : inputs) {
                    String text = new String(input, StandardCharsets.UTF_8);
                    String what = routeYaml.strip() + " | " + text.substring(0, Math.min(text.length(), 120));
                    assertThat(outcome(withStream, input, match)).as(what).isEqualTo(outcome(treeOnly, input, match));
                    streamed += stream != null && stream.read(input, match) != null ? 1 : 0;
                }
            }
        }
        assertThat(streamed).as("payloads the one-pass reader decoded itself").isGreaterThan(200);
        assertThat(JsonStreamMapping.of(mapping(ROUTES[5]))).as("an index in the sensor path").isNull();
        assertThat(JsonStreamMapping.of(mapping(ROUTES[6]))).as("field paths").isNull();
        assertThat(JsonStreamMapping.of(mapping(ROUTES[0])).read(inputs.get(0), match(null))).isNotNull();
    }

    private static String wide(int fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields; i++) {
            out.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        return out.toString();
    }

    /** A random object: the names the routes look for among others, nested objects, every kind of value. */
    private static String generated(Random random, int depth) {
        String[] names = {"sensor", "ts", "t", "tz", "a", "b", "meta", "id", "time", "e", "a_b", "s"};
        StringBuilder out = new StringBuilder("{");
        int members = random.nextInt(6);
        for (int i = 0; i < members; i++) {
            out.append(i == 0 ? "" : ",").append('"').append(names[random.nextInt(names.length)]).append("\":");
            out.append(switch (random.nextInt(depth < 3 ? 9 : 8)) {
                case 0 -> String.valueOf(random.nextInt(2_000_000) - 1_000_000);
                case 1 -> String.valueOf(random.nextDouble() * 1e4);
                case 2 -> String.valueOf(1_764_144_000_000L + random.nextInt(1000));
                case 3 -> "\"" + (random.nextBoolean() ? "s-" + random.nextInt(9) : String.valueOf(random.nextDouble())) + "\"";
                case 4 -> random.nextBoolean() ? "true" : "false";
                case 5 -> "null";
                case 6 -> "\"2025-11-26T08:00:0" + random.nextInt(10) + "Z\"";
                case 7 -> random.nextBoolean() ? "1764144000" : "[1,2]";
                default -> generated(random, depth + 1);
            });
        }
        return out.append('}').toString();
    }

    private static Object outcome(JsonPayloadDecoder decoder, byte[] input, TopicMatch match) {
        try {
            return decoder.decode(input, match);
        } catch (DecodeException e) {
            return e.reason() + ": " + e.getMessage();
        }
    }

    private static TopicMatch match(String sensor) {
        return new TopicMatch("x/site", ARRIVAL, "r", sensor, null, Map.of("site", "site"));
    }

    private TreeMapping mapping(String routeYaml) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "routes:\n  - name: r\n    topic-template: x/{site}\n" + routeYaml.indent(4));
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
        return Routes.treeMapping(config.routes.get(0));
    }
}
