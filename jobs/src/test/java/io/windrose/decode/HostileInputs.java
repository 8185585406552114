package io.windrose.decode;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.localcluster.DevicePayloads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated bad input, each with the dead-letter reason it must get: random bytes, truncated JSON, NaN/Infinity, huge
 * numbers, empty payloads, arrays, deep nesting, wrong types, too many fields, 1 MB payloads, bad Avro, unrouted topics.
 * Topics are relative to a root: {@code <root>/json/<site>/<sensor>}, {@code <root>/value/<sensor>/<field>},
 * {@code <root>/avro/<sensor>}, {@code <root>/loose/...}.
 */
final class HostileInputs {
    static final long TS = 1764144000000L;
    static final DevicePayloads GATEWAY = new DevicePayloads(DeviceRoutesTest.GATEWAY_SCHEMA);

    /** One input and the reason it must be dead-lettered with. */
    record Case(String what, String topic, byte[] payload, DeadLetterReason reason) {
        @Override
        public String toString() {
            return what;
        }
    }

    /** The routes the cases are written for (YAML list items under {@code routes:}). */
    static String routesYaml(String root, String gatewaySchema) {
        return """
                  - name: json
                    topic-template: %1$s/json/{site}/{sensor}
                  - name: value
                    topic-template: %1$s/value/{sensor}/{field}
                    format: value
                  - name: avro
                    topic-template: %1$s/avro/{sensor}
                    format: avro
                    sensor-path: device
                    fields: {paths: [values]}
                    timestamp: {path: timestamp}
                    avro: {encoding: binary, schemas: ["%2$s"]}
                  - name: avro1
                    topic-template: %1$s/avro1/{site}
                    format: avro
                    sensor-path: device
                    fields: {paths: [values]}
                    timestamp: {path: timestamp}
                    avro: {encoding: single-object, schemas: ["%2$s"]}
                  - name: loose
                    topics: [%1$s/loose/#]
                    topic-template: %1$s/loose/{site}
                """.formatted(root, gatewaySchema);
    }

    static List<Case> cases(String root, long seed) {
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        String json = root + "/json/site/s-h";
        String good = "{\"sensor\":\"s-h\",\"ts\":" + TS + ",\"temperature\":21.5}";
        for (int i = 0; i < 20; i++) {
            byte[] bytes = new byte[1 + random.nextInt(200)];
            random.nextBytes(bytes);
            bytes[0] = (byte) (0x80 | bytes[0]); // never valid JSON's first byte, so never a lucky parse
            cases.add(new Case("random bytes " + i, json, bytes, DeadLetterReason.MALFORMED));
        }
        for (int i = 0; i < 10; i++) {
            cases.add(new Case("truncated JSON " + i, json, utf8(good.substring(0, 1 + random.nextInt(good.length() - 1))),
                    DeadLetterReason.MALFORMED));
        }
        cases.add(new Case("empty payload", json, new byte[0], DeadLetterReason.MALFORMED));
        cases.add(new Case("whitespace payload", json, utf8("  \n"), DeadLetterReason.MALFORMED));
        cases.add(new Case("top-level array", json, utf8("[" + good + "]"), DeadLetterReason.MALFORMED));
        cases.add(new Case("top-level number", json, utf8("42"), DeadLetterReason.MALFORMED));
        cases.add(new Case("trailing garbage", json, utf8(good + " }"), DeadLetterReason.MALFORMED));
        cases.add(new Case("invalid UTF-8 in a string", json,
                concat(utf8("{\"sensor\":\"s-h\",\"ts\":" + TS + ",\"note\":\""), new byte[] {(byte) 0xC3, 0x28},
                        utf8("\",\"t\":1}")), DeadLetterReason.MALFORMED));
        cases.add(new Case("nesting 2,000 deep", json, utf8("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)),
                DeadLetterReason.MALFORMED));
        cases.add(new Case("number of 2,000 digits", json, utf8(withTemperature("9".repeat(2000))),
                DeadLetterReason.MALFORMED));
        cases.add(new Case("NaN", json, utf8(withTemperature("NaN")), DeadLetterReason.NON_FINITE));
        cases.add(new Case("Infinity", json, utf8(withTemperature("Infinity")), DeadLetterReason.NON_FINITE));
        cases.add(new Case("-Infinity", json, utf8(withTemperature("-Infinity")), DeadLetterReason.NON_FINITE));
        cases.add(new Case("1e400", json, utf8(withTemperature("1e400")), DeadLetterReason.NON_FINITE));
        cases.add(new Case("integer of 400 digits", json, utf8(withTemperature("1" + "0".repeat(400))),
                DeadLetterReason.NON_FINITE));
        cases.add(new Case("string temperature", json, utf8(withTemperature("\"hot\"")), DeadLetterReason.NO_FIELDS));
        cases.add(new Case("only an array of numbers", json, utf8(withTemperature("[1,2,3]")), DeadLetterReason.NO_FIELDS));
        cases.add(new Case("object without numbers", json, utf8("{\"sensor\":\"s-h\",\"ts\":" + TS + "}"),
                DeadLetterReason.NO_FIELDS));
        cases.add(new Case("ts as text", json, utf8("{\"ts\":\"yesterday\",\"t\":1}"), DeadLetterReason.BAD_TIMESTAMP));
        cases.add(new Case("ts as boolean", json, utf8("{\"ts\":true,\"t\":1}"), DeadLetterReason.BAD_TIMESTAMP));
        cases.add(new Case("ts missing", json, utf8("{\"t\":1}"), DeadLetterReason.BAD_TIMESTAMP));
        cases.add(new Case("ts negative", json, utf8("{\"ts\":-5,\"t\":1}"), DeadLetterReason.BAD_TIMESTAMP));
        cases.add(new Case("ts as an object", json, utf8("{\"ts\":{\"ms\":1},\"t\":1}"), DeadLetterReason.BAD_TIMESTAMP));
        StringBuilder wide = new StringBuilder("{\"ts\":" + TS);
        for (int i = 0; i <= FieldMapping.MAX_FIELDS; i++) {
            wide.append(",\"f").append(i).append("\":").append(i);
        }
        cases.add(new Case("1,001 fields", json, utf8(wide + "}"), DeadLetterReason.TOO_LARGE));
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        byte[] start = utf8(good);
        System.arraycopy(start, 0, huge, 0, start.length);
        cases.add(new Case("1 MB payload", json, huge, DeadLetterReason.TOO_LARGE));
        cases.add(new Case("far-future ts", json, utf8("{\"ts\":4102444800000,\"temperature\":1}"),
                DeadLetterReason.FUTURE_TIMESTAMP));

        String value = root + "/value/v-h/temperature";
        cases.add(new Case("value: empty", value, new byte[0], DeadLetterReason.MALFORMED));
        cases.add(new Case("value: unavailable", value, utf8("unavailable"), DeadLetterReason.NO_FIELDS));
        cases.add(new Case("value: NaN", value, utf8("NaN"), DeadLetterReason.NON_FINITE));
        cases.add(new Case("value: JSON object", value, utf8(good), DeadLetterReason.NO_FIELDS));

        String avro = root + "/avro/gw";
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[1 + random.nextInt(100)];
            random.nextBytes(bytes);
            cases.add(new Case("avro: random bytes " + i, avro, bytes, DeadLetterReason.MALFORMED));
        }
        cases.add(new Case("avro: a string claiming 1 GB", avro, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x08, 'x'}, DeadLetterReason.MALFORMED));
        cases.add(new Case("avro: JSON instead", avro, utf8(good), DeadLetterReason.MALFORMED));
        String singleObject = root + "/avro1/hall";
        byte[] unknown = GATEWAY.gatewaySingleObject("gw", TS, Map.of("p", 1.0));
        unknown[5] ^= 0x55;
        cases.add(new Case("avro single-object: unknown fingerprint", singleObject, unknown,
                DeadLetterReason.UNKNOWN_SCHEMA));
        cases.add(new Case("avro single-object: no header", singleObject, GATEWAY.gateway("gw", TS, Map.of("p", 1.0)),
                DeadLetterReason.MALFORMED));

        cases.add(new Case("unrouted: deeper than the template", root + "/loose/a/b", utf8(good),
                DeadLetterReason.UNROUTED));
        cases.add(new Case("no sensor id", root + "/loose/x", utf8("{\"ts\":" + TS + ",\"t\":1}"),
                DeadLetterReason.NO_SENSOR));
        return cases;
    }

    private static String withTemperature(String value) {
        return "{\"sensor\":\"s-h\",\"ts\":" + TS + ",\"temperature\":" + value + "}";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
