package io.windrose.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.WindroseCommand;
import io.windrose.alert.AlertCommand;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code windrose alerts} without services: its arguments, when it is off (naming the key), how it reads the job's
 * answers to a command and what it prints, and how it finds what is raised among the alerts topic's events. Against a
 * real Kafka: {@code AlertsCommandITCase}.
 */
class AlertsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    void everyCommandHasItsHelp() {
        for (String[] command : new String[][] {{"alerts"}, {"alerts", "ack"}, {"alerts", "shelve"},
            {"alerts", "unshelve"}, {"alerts", "list"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--help")).toArray(String[]::new);
            Result result = windrose(args);
            assertThat(result.exit()).as(String.join(" ", args)).isZero();
            assertThat(result.out()).startsWith("Usage: windrose " + String.join(" ", command))
                    .contains("--bootstrap-servers HOST:PORT", "--config FILE", "--timeout DURATION", "Exit codes:");
        }
        assertThat(windrose("--help").out()).contains("  alerts ");
        assertThat(windrose("alerts", "shelve", "--help").out()).contains("--for DURATION", "--sensor SENSOR");
    }

    @Test
    void badArgumentsExitWith2NamingTheProblem() {
        Result none = windrose("alerts");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("windrose alerts: Missing command: ack RULE SENSOR, shelve RULE --for DURATION,"
                + " unshelve RULE or list");
        Result noSensor = windrose("alerts", "ack", "too-hot");
        assertThat(noSensor.exit()).isEqualTo(2);
        assertThat(noSensor.err()).contains("windrose alerts ack: Missing required parameter: 'SENSOR'",
                "Try 'windrose alerts ack --help'");
        Result noFor = windrose("alerts", "shelve", "too-hot");
        assertThat(noFor.exit()).isEqualTo(2);
        assertThat(noFor.err()).contains("Missing required option: '--for=DURATION'");
        assertThat(windrose("alerts", "shelve", "too-hot", "--for", "soon").err())
                .contains("Invalid value for option '--for'", "expected a duration such as 500ms");
        Result zero = windrose("alerts", "shelve", "too-hot", "--for", "0s", "--bootstrap-servers", "127.0.0.1:1");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--for must be a positive duration, got 0s");
        assertThat(windrose("alerts", "list", "--colour").err()).contains("Unknown option: '--colour'");
    }

    @Test
    void offNamesTheKeyThatTurnsItOff() throws IOException {
        Path noKafka = Files.writeString(dir.resolve("no-kafka.yaml"), ROUTE + "sinks:\n  kafka:\n    enabled: false\n");
        for (String[] command : new String[][] {{"ack", "too-hot", "s-1"}, {"shelve", "too-hot", "--for", "1h"},
            {"unshelve", "too-hot"}}) {
            Result result = windrose(concat(new String[] {"alerts", "--config", noKafka.toString()}, command));
            assertThat(result.exit()).as(command[0]).isEqualTo(2);
            assertThat(result.err()).contains("windrose: alert commands are off (sinks.kafka.enabled is false)");
        }
        Path noRules = Files.writeString(dir.resolve("no-rules.yaml"), ROUTE + "runtime-rules:\n  topic: null\n");
        assertThat(windrose("alerts", "--config", noRules.toString(), "ack", "too-hot", "s-1").err())
                .contains("alert commands are off (runtime-rules.topic is null)");
        Path noCommands = Files.writeString(dir.resolve("no-commands.yaml"),
                ROUTE + "runtime-rules:\n  commands-topic: null\n");
        Result off = windrose("alerts", "--config", noCommands.toString(), "unshelve", "too-hot");
        assertThat(off.exit()).isEqualTo(2);
        assertThat(off.err()).contains("alert commands are off (runtime-rules.commands-topic is null)");

        Result list = windrose("alerts", "--config", noKafka.toString(), "list");
        assertThat(list.exit()).isEqualTo(2);
        assertThat(list.err()).contains("alerts on Kafka are off (sinks.kafka.enabled is false)");
        Path noAlerts = Files.writeString(dir.resolve("no-alerts.yaml"),
                ROUTE + "sinks:\n  kafka:\n    alerts-topic: null\n");
        assertThat(windrose("alerts", "list", "--config", noAlerts.toString()).err())
                .contains("alerts on Kafka are off (sinks.kafka.alerts-topic is null)");
        // list needs no commands topic
        Path listOnly = Files.writeString(dir.resolve("list-only.yaml"), ROUTE
                + "runtime-rules:\n  topic: null\n  status-topic: null\n  commands-topic: null\n"
                + "sinks:\n  kafka:\n    bootstrap-servers: 127.0.0.1:1\n");
        Result noBroker = windrose("alerts", "list", "--config", listOnly.toString(), "--timeout", "1s");
        assertThat(noBroker.exit()).isEqualTo(3);
        assertThat(noBroker.err()).contains("windrose: Kafka 127.0.0.1:1:");
    }

    @Test
    void anAckPrintsEachAlertAcknowledgedAfterItWasAccepted() {
        AlertCommand ack = AlertCommand.ack("too-hot", "s-1", "fan replaced");
        AlertAnswers answers = new AlertAnswers(ack);
        // a rule's status and another command's answer are not ours
        assertThat(answers.offer(JSON.createObjectNode().put("rule", "too-hot").put("status", "accepted"))).isFalse();
        assertThat(answers.offer(AlertCommand.ack("too-hot", "s-1", null).answer("accepted", null))).isFalse();
        assertThat(answers.offer(null)).isFalse();
        // an acked answer may come before the accepted one (another subtask)
        assertThat(answers.offer(acked(ack, "sensors", "critical", 1_796_464_800_000L))).isTrue();
        assertThat(answers.decided()).isFalse();
        answers.offer(ack.answer(AlertCommand.ACCEPTED, null));
        assertThat(answers.decided()).isTrue();
        assertThat(answers.collectsMore()).isTrue();
        answers.offer(ack.answer(AlertCommand.REJECTED, "too late")); // the first decides
        answers.offer(acked(ack, "machines", "warning", 1_796_464_805_500L));
        answers.offer(acked(ack, "machines", "warning", 1_796_464_805_500L)); // repeated: once
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(answers.print(new PrintWriter(out, true), new PrintWriter(err, true))).isZero();
        assertThat(out.toString()).isEqualTo("""
                acked too-hot s-1 in sensors (critical since 2026-12-05T10:00:00Z)
                acked too-hot s-1 in machines (warning since 2026-12-05T10:00:05Z)
                """);
        assertThat(err.toString()).isEmpty();

        AlertAnswers one = new AlertAnswers(ack);
        one.offer(ack.answer(AlertCommand.ACCEPTED, null));
        one.offer(acked(ack, "sensors", "critical", 1_796_464_800_000L));
        assertThat(print(one).out()).isEqualTo("acked too-hot s-1 (critical since 2026-12-05T10:00:00Z)\n");
    }

    @Test
    void anAckWithNothingRaisedOrRejectedExitsWith1() {
        AlertCommand ack = AlertCommand.ack("too-hot", "s-1", null);
        AlertAnswers nothing = new AlertAnswers(ack);
        nothing.offer(ack.answer(AlertCommand.ACCEPTED, null));
        Result none = print(nothing);
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("no raised alert of too-hot for s-1 to acknowledge\n");

        AlertAnswers rejected = new AlertAnswers(ack);
        rejected.offer(ack.answer(AlertCommand.REJECTED, "rule: no rule too-hot"));
        assertThat(rejected.collectsMore()).isFalse();
        Result result = print(rejected);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("rejected: ack too-hot for s-1: rule: no rule too-hot\n");
    }

    @Test
    void shelveAndUnshelvePrintWhatAndUntilWhen() {
        AlertCommand shelve = new AlertCommand("c-1", AlertCommand.SHELVE, "too-hot", "s-1", Duration.ofHours(2), null,
                1_796_464_800_000L);
        AlertAnswers shelved = new AlertAnswers(shelve);
        shelved.offer(shelve.answer(AlertCommand.ACCEPTED, null)); // until = at + 2h
        assertThat(shelved.collectsMore()).isFalse();
        assertThat(print(shelved).out()).isEqualTo("shelved too-hot for s-1 until 2026-12-05T12:00:00Z\n");

        AlertCommand all = new AlertCommand("c-2", AlertCommand.SHELVE, "too-hot", null, Duration.ofMinutes(30), null,
                1_796_464_800_000L);
        AlertAnswers every = new AlertAnswers(all);
        every.offer(all.answer(AlertCommand.ACCEPTED, null).put("until", 1_796_466_000_000L)); // the job's until wins
        assertThat(print(every).out()).isEqualTo("shelved too-hot until 2026-12-05T10:20:00Z\n");

        AlertCommand unshelve = AlertCommand.unshelve("too-hot", null);
        AlertAnswers unshelved = new AlertAnswers(unshelve);
        unshelved.offer(unshelve.answer(AlertCommand.ACCEPTED, null));
        assertThat(print(unshelved).out()).isEqualTo("unshelved too-hot\n");
        AlertAnswers refused = new AlertAnswers(unshelve);
        refused.offer(unshelve.answer(AlertCommand.REJECTED, "not shelved"));
        assertThat(print(refused).err()).isEqualTo("rejected: unshelve too-hot: not shelved\n");
    }

    @Test
    void theNewestEventByOffsetSaysWhatIsRaised() {
        long t = 1_796_464_800_000L;
        List<AlertEvent> events = List.of(
                event("too-hot", "s-1", AlertState.RAISED, "warning", 31, t, t, false),
                event("too-hot", "s-1", AlertState.RAISED, "critical", 41.25, t, t + 5_000, false),
                // the ack's re-publication: same event time, acked; newest by offset, not by time
                event("too-hot", "s-1", AlertState.RAISED, "critical", 41.25, t, t + 5_000, true),
                event("too-hot", "s-2", AlertState.RAISED, "warning", 30.5, t + 1_000, t + 1_000, false),
                event("too-hot", "s-2", AlertState.CLEARED, "warning", 27, t + 1_000, t + 9_000, false),
                event("silent", "s-3", AlertState.RAISED, "critical", 120, t + 2_000, t + 2_000, false));
        List<AlertEvent> raised = RaisedAlerts.raised(events, null, null);
        assertThat(raised).extracting(AlertEvent::getSensorId).containsExactly("s-3", "s-1");
        StringWriter table = new StringWriter();
        RaisedAlerts.table(raised, new PrintWriter(table, true));
        assertThat(table.toString()).isEqualTo("""
                RULE     SENSOR  LEVEL     SINCE                 VALUE  ACKED  SHELVED
                silent   s-3     critical  2026-12-05T10:00:02Z  120    no     no
                too-hot  s-1     critical  2026-12-05T10:00:00Z  41.25  yes    no
                """);
        assertThat(RaisedAlerts.raised(events, "too-hot", null)).extracting(AlertEvent::getSensorId)
                .containsExactly("s-1");
        assertThat(RaisedAlerts.raised(events, null, "s-2")).isEmpty();

        StringWriter json = new StringWriter();
        RaisedAlerts.json(RaisedAlerts.raised(events, null, "s-1"), new PrintWriter(json, true));
        JsonNode line = read(json.toString().strip());
        assertThat(line.get("rule").asText()).isEqualTo("too-hot");
        assertThat(line.get("sensor").asText()).isEqualTo("s-1");
        assertThat(line.get("measurement").asText()).isEqualTo("sensors");
        assertThat(line.get("since").asText()).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(line.get("value").asDouble()).isEqualTo(41.25);
        assertThat(line.get("acked").asBoolean()).isTrue();
        assertThat(line.get("ackComment").asText()).isEqualTo("on it");
        assertThat(line.get("shelved").asBoolean()).isFalse();
        assertThat(line.at("/tags/site").asText()).isEqualTo("a");
    }

    @Test
    void valuesArePrintedAsAPersonReadsThem() {
        assertThat(RaisedAlerts.number(41.0)).isEqualTo("41");
        assertThat(RaisedAlerts.number(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(RaisedAlerts.number(1.0 / 3)).isEqualTo("0.333");
        assertThat(RaisedAlerts.number(-12.5)).isEqualTo("-12.5");
        assertThat(RaisedAlerts.number(1e7)).isEqualTo("10000000");
    }

    static AlertEvent event(String rule, String sensor, AlertState state, String level, double value, long startedAt,
            long eventTime, boolean acked) {
        return AlertEvent.newBuilder().setSensorId(sensor).setMeasurement("sensors").setTags(Map.of("site", "a"))
                .setRule(rule).setLevel(level).setState(state).setField("temperature").setValue(value).setThreshold(30)
                .setEventTime(Instant.ofEpochMilli(eventTime)).setStartedAt(Instant.ofEpochMilli(startedAt))
                .setAcked(acked).setAckComment(acked ? "on it" : null).build();
    }

    private static ObjectNode acked(AlertCommand ack, String measurement, String level, long since) {
        return ack.answer(AlertCommand.ACKED, null).put("measurement", measurement).put("level", level)
                .put("since", since);
    }

    private static Result print(AlertAnswers answers) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = answers.print(new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
