package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code windrose} command line in-process: help and version, exit codes (0 ok, 2 usage or configuration error),
 * results on stdout and errors on stderr, and {@code windrose check} on the shipped pipeline and on broken ones.
 */
class WindroseCommandTest {
    private static final String SHIPPED = "../local-cluster/pipeline.yaml"; // tests run in the jobs module's directory
    private static final String ROUTE = """
            routes:
              - name: sensors
                topic-template: sensors/{site}/{sensor}
            """;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result windrose(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommandsAndTheExitCodesOnStdout() {
        for (String help : new String[] {"--help", "-h"}) {
            Result result = windrose(help);
            assertThat(result.exit()).isZero();
            assertThat(result.err()).isEmpty();
            assertThat(result.out()).startsWith("Usage: windrose [-hV]").contains("--config FILE", "--set KEY=VALUE",
                    "--fresh", "Commands:", "  run ", "  check ", "  consume ", "  rules ", "Exit codes:",
                    "2   a usage or configuration error", "3   no answer in time");
        }
    }

    @Test
    void everyCommandHasItsHelp() {
        for (String[] command : new String[][] {{"run"}, {"check"}, {"consume"}, {"rules"}, {"rules", "put"},
            {"rules", "delete"}, {"rules", "list"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of(
                    "--help")).toArray(String[]::new);
            Result result = windrose(args);
            assertThat(result.exit()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).as(String.join(" ", args)).startsWith("Usage: windrose " + String.join(" ", command))
                    .contains("Exit codes:");
            assertThat(result.err()).isEmpty();
        }
    }

    @Test
    void rulesHelpNamesItsCommandsAndOptions() {
        Result result = windrose("rules", "--help");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("Usage: windrose rules [-hV] [--bootstrap-servers HOST:PORT] [--config FILE]",
                "[--timeout DURATION] [COMMAND]", "Commands:", "  put ", "  delete ", "  list ", "WINDROSE_BOOTSTRAP_SERVERS",
                "1   rejected by the job", "3   no answer in time");
    }

    @Test
    void versionNamesWindroseFlinkAndTheCommit() {
        for (String version : new String[] {"--version", "-V", "check --version"}) {
            Result result = windrose(version.split(" "));
            assertThat(result.exit()).isZero();
            assertThat(result.out()).contains("Windrose " + System.getProperty("windrose.version", "0.1.0-SNAPSHOT")
                    + " (commit ").contains("Flink 2.2.1").contains("Java 17");
            assertThat(result.out().lines().findFirst().orElseThrow())
                    .matches("Windrose \\S+ \\(commit ([0-9a-f]{7,}(-dirty)?|unknown)\\)");
        }
    }

    @Test
    void theShippedPipelineIsValid() {
        Result result = windrose("check", "--config", SHIPPED);
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("windrose check: " + SHIPPED + " is valid: MQTT tcp://127.0.0.1:1883, 6 routes,"
                + " 7 rules, window 10s (tiers 1m, 1h), InfluxDB http://127.0.0.1:8086 bucket telemetry/autogen,"
                + " Kafka 127.0.0.1:9092\n");
    }

    @Test
    void aMisspeltKeyIsAConfigurationErrorNamingTheFileAndTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE + "window:\n  sise: 10s\n");
        for (String[] args : new String[][] {{"check", "--config", file.toString()}, {"--config", file.toString()},
            {"run", "--config", file.toString()}}) {
            Result result = windrose(args);
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("windrose: configuration error in " + file + ": key 'window.sise': unknown key;")
                    .contains("expected one of [percentile-accuracy, session-gap, size, slide, stats, tier-measurement, tiers]");
        }
    }

    @Test
    void aMissingExpectedSensorsFileIsAConfigurationErrorNamingTheKey() throws IOException {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE + """
                rules:
                  - {name: hot, field: temperature, above: 30}
                  - {name: silent, kind: deadman, after: 30s, expected: missing.txt}
                """);
        Result result = windrose("check", "--config", file.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("configuration error in " + file, "key 'rules[1].expected'",
                dir.resolve("missing.txt").toString());
    }

    @Test
    void anExpectedSensorsFileTheJobCannotReadIsAConfigurationError() throws IOException {
        // readable as far as the loader can tell (a directory), but not a file the job can read its sensors from
        Files.createDirectories(dir.resolve("sensors.txt"));
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE + """
                rules:
                  - {name: silent, kind: deadman, after: 30s, expected: sensors.txt}
                """);
        Result result = windrose("check", "--config", file.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("configuration error in " + file, "key 'rules[0].expected'",
                "cannot read the expected sensors");

        Files.delete(dir.resolve("sensors.txt"));
        Files.writeString(dir.resolve("sensors.txt"), "s-1 site=a\ns-2  # the second\n");
        assertThat(windrose("check", "--config", file.toString()).exit()).isZero();
    }

    @Test
    void aBadAvroSchemaIsAConfigurationErrorNamingTheKey() throws IOException {
        Files.writeString(dir.resolve("Reading.avsc"), "{\"type\": \"record\", \"name\": \"Reading\", \"fields\": [");
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes:
                  - name: gateway
                    topic-template: plant/{sensor}
                    format: avro
                    avro:
                      schemas: [Reading.avsc]
                """);
        Result result = windrose("check", "--config", file.toString());
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("configuration error in " + file, "key 'routes[0].avro.schemas'",
                "is not a readable Avro schema");
    }

    @Test
    void overridesApplyAndAreChecked() throws IOException {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE);
        Result overridden = windrose("check", "--config", file.toString(), "--set", "window.size=30s",
                "--set=window.tiers=[1m]", "--set", "sinks.kafka.enabled=false");
        assertThat(overridden.out()).as(overridden.err())
                .contains("1 route, 0 rules, window 30s (tiers 1m),").endsWith(", Kafka off\n");
        assertThat(windrose("check", "-c", file.toString(), "--set", "mqtt.servers=[tcp://broker:1883]").out())
                .contains("MQTT tcp://broker:1883,");
        assertThat(windrose("check", "--config=" + file, "--set=window.size=20s").out()).contains("window 20s,");

        Result noValue = windrose("check", "--config", file.toString(), "--set", "window.size");
        assertThat(noValue.exit()).isEqualTo(2);
        assertThat(noValue.err()).contains("Invalid value for option '--set'", "expected key=value such as window.size=30s",
                "Try 'windrose check --help'");

        Result badKey = windrose("check", "--config", file.toString(), "--set", "window.sise=30s");
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.err()).contains("key 'window.sise'");

        Result badValue = windrose("check", "--config", file.toString(), "--set", "window.size=30");
        assertThat(badValue.exit()).isEqualTo(2);
        assertThat(badValue.err()).contains("key 'window.size'", "expected a duration");
    }

    @Test
    void usageErrorsExitWith2AndAHintOnStderr() {
        Result unknownCommand = windrose("chek", "--config", SHIPPED);
        assertThat(unknownCommand.exit()).isEqualTo(2);
        assertThat(unknownCommand.out()).isEmpty();
        assertThat(unknownCommand.err()).contains("windrose: Unmatched argument", "'chek'", "Did you mean",
                "Try 'windrose --help' for more information.");

        Result unknownOption = windrose("check", "--config", SHIPPED, "--verbose");
        assertThat(unknownOption.exit()).isEqualTo(2);
        assertThat(unknownOption.err()).contains("windrose check: Unknown option: '--verbose'",
                "Try 'windrose check --help'");

        Result noConfig = windrose();
        assertThat(noConfig.exit()).isEqualTo(2);
        assertThat(noConfig.err()).contains("Missing required option: '--config FILE'", "Try 'windrose --help'");
        assertThat(windrose("check").err()).contains("windrose check: Missing required option: '--config FILE'");

        Result missingValue = windrose("rules", "list", "--timeout");
        assertThat(missingValue.exit()).isEqualTo(2);
        assertThat(missingValue.err()).contains("Missing required parameter for option '--timeout'");
        assertThat(windrose("rules", "list", "--timeout", "soon").err()).contains("Invalid value for option '--timeout'",
                "expected a duration such as 500ms");
        assertThat(windrose("rules").err()).contains("windrose rules: Missing command: put FILE, delete NAME or list");
        assertThat(windrose("rules", "put").err()).contains("windrose rules put: Missing required parameter: 'FILE'");
        assertThat(windrose("consume").err()).contains("Missing required option: '--topic=TOPIC'");
        Result untyped = windrose("consume", "--topic", "something.else");
        assertThat(untyped.exit()).isEqualTo(2);
        assertThat(untyped.err()).contains("cannot tell the record type from the topic name 'something.else': add --type");
        assertThat(windrose("consume", "--topic", "t", "--type", "thing").err()).contains("--type must be one of");
    }

    @Test
    void aRuleFileWithABadRuleIsRefusedBeforeKafkaIsAsked() throws IOException {
        Path rule = Files.writeString(dir.resolve("bad.yaml"), "name: bad\nfield: humidity\nabovee: 50\n");
        // no Kafka at this address: the rule is checked first
        Result result = windrose("rules", "put", rule.toString(), "--bootstrap-servers", "127.0.0.1:1");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("rule error in " + rule, "key 'abovee'");
    }

    @Test
    void runtimeRulesOffIsAConfigurationError() throws IOException {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE + "sinks:\n  kafka:\n    enabled: false\n");
        Result result = windrose("rules", "--config", file.toString(), "list");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("runtime rules are off (sinks.kafka.enabled is false)");
        Path noTopic = Files.writeString(dir.resolve("no-topic.yaml"), ROUTE + "runtime-rules:\n  topic: null\n");
        Result off = windrose("rules", "--config", noTopic.toString(), "list");
        assertThat(off.exit()).isEqualTo(2);
        assertThat(off.err()).contains("runtime rules are off (runtime-rules.topic is null)");
    }
}
