package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.reading;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.action.ActionCalls;
import io.windrose.action.state.MqttCommand;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Ack, shelve and unshelve in the live reading alerts (Flink's harness): what they change, and their answers. */
class AlertCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RULES = "[{name: hot, field: temperature, above: {warning: 30, critical: 40},"
            + " actions: [{mqtt: {topic: 'fan/{sensor}', raised: 'ON', cleared: 'OFF'}}]}]";

    @Test
    void anAckStopsTheActionsOfTheAlertsRaisesUntilItClearsAndPublishesItAgainAcked() throws Exception {
        try (var h = open(harness(rules(RULES)))) {
            reading(h, "s-1", 1_000, 31);
            reading(h, "s-2", 1_000, 31);
            command(h, AlertCommand.ack("hot", "s-1", "on it"));
            reading(h, "s-1", 2_000, 41); // critical: no command, acked
            reading(h, "s-2", 2_000, 41); // not acked: its command goes out
            reading(h, "s-1", 3_000, 20); // clear: OFF goes out (the raise turned the fan on)
            reading(h, "s-1", 4_000, 31); // a new alert: not acked, its command goes out
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31",
                    "s-2 hot RAISED warning 31", "s-1 hot RAISED warning 31", "s-1 hot RAISED critical from warning 41",
                    "s-2 hot RAISED critical from warning 41", "s-1 hot CLEARED critical from critical 20",
                    "s-1 hot RAISED warning 31");
            List<AlertEvent> events = h.extractOutputValues();
            assertThat(events).extracting(AlertEvent::getAcked).containsExactly(false, false, true, true, false, true, false);
            AlertEvent again = events.get(2);
            assertThat(again.getEventTime()).as("the raise's own time: InfluxDB updates that point")
                    .isEqualTo(events.get(0).getEventTime());
            assertThat(again.getAckComment()).isEqualTo("on it");
            assertThat(commands(h)).containsExactly("fan/s-1 ON", "fan/s-2 ON", "fan/s-2 ON", "fan/s-1 OFF", "fan/s-1 ON");
            assertThat(answers(h)).extracting(a -> a.get("status").asText() + " " + a.path("level").asText())
                    .containsExactly("acked warning", "accepted ");
        }
    }

    @Test
    void anAckSurvivesSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules(RULES)))) {
            reading(h, "s-1", 1_000, 31);
            command(h, AlertCommand.ack("hot", "s-1", null));
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(rules(RULES))) {
            h.initializeState(snapshot);
            open(h);
            reading(h, "s-1", 2_000, 41);
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED critical from warning 41");
            assertThat(h.extractOutputValues().get(0).getAcked()).isTrue();
            assertThat(commands(h)).isEmpty();
        }
    }

    @Test
    void anAckOfNoRaisedAlertIsAcceptedAndAcksNothingAnUnknownRuleOrABadRecordIsRejected() throws Exception {
        try (var h = open(harness(rules(RULES)))) {
            reading(h, "s-1", 1_000, 20);
            command(h, AlertCommand.ack("hot", "s-1", null));
            command(h, AlertCommand.ack("cold", "s-1", null));
            h.processBroadcastElement(new RuleUpdate("", null, 7L, "{\"op\": \"ack\"}"), 1);
            assertThat(answers(h)).extracting(a -> a.get("status").asText() + ": " + a.path("reason").asText())
                    .containsExactly("accepted: null", "rejected: no rule 'cold' is in effect",
                            "rejected: not a command: id: expected a command id");
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aShelfSilencesTheRulesActionsUntilItEndsAndRecordsAreKept() throws Exception {
        try (var h = open(harness(rules(RULES)))) {
            h.setProcessingTime(1_000);
            reading(h, "s-1", 1_000, 31); // raised before the shelf: ON
            shelve(h, "hot", null, 10_000, 1_000);
            reading(h, "s-2", 2_000, 31); // raised while shelved: nothing
            reading(h, "s-2", 3_000, 20); // its clear: nothing either
            reading(h, "s-1", 3_000, 20); // cleared while shelved, raised before: OFF (what it turned on)
            h.setProcessingTime(11_000); // the shelf has ended
            reading(h, "s-2", 4_000, 31);
            assertThat(commands(h)).containsExactly("fan/s-1 ON", "fan/s-1 OFF", "fan/s-2 ON");
            assertThat(h.extractOutputValues()).extracting(e -> e.getSensorId() + " " + e.getState() + " " + e.getShelved())
                    .containsExactly("s-1 RAISED false", "s-2 RAISED true", "s-2 CLEARED true", "s-1 CLEARED true",
                            "s-2 RAISED false");
            JsonNode answer = answers(h).get(0);
            assertThat(answer.get("status").asText()).isEqualTo("accepted");
            assertThat(answer.get("until").asLong()).isEqualTo(11_000);
        }
    }

    @Test
    void anAlertRaisedWhileShelvedCallsItsActionsAtItsFirstLevelChangeAfterTheShelfAndItsClearThen() throws Exception {
        try (var h = open(harness(rules(RULES)))) {
            h.setProcessingTime(1_000);
            shelve(h, "hot", "s-1", 5_000, 1_000);
            reading(h, "s-1", 1_000, 31); // raised while shelved
            reading(h, "s-2", 1_000, 31); // another sensor: not shelved
            h.setProcessingTime(7_000);
            reading(h, "s-1", 2_000, 41); // critical after the shelf: ON
            reading(h, "s-1", 3_000, 20); // clear: OFF
            assertThat(commands(h)).containsExactly("fan/s-2 ON", "fan/s-1 ON", "fan/s-1 OFF");
        }
    }

    @Test
    void aShelfSurvivesSnapshotAndRestoreAndUnshelveEndsIt() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules(RULES)))) {
            h.setProcessingTime(1_000);
            shelve(h, "hot", null, 60_000, 1_000);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var h = harness(rules(RULES))) {
            h.initializeState(snapshot);
            open(h);
            h.setProcessingTime(2_000);
            reading(h, "s-1", 1_000, 31);
            reading(h, "s-1", 2_000, 20);
            command(h, AlertCommand.unshelve("hot", null));
            reading(h, "s-1", 3_000, 31);
            assertThat(commands(h)).containsExactly("fan/s-1 ON");
            assertThat(answers(h)).extracting(a -> a.get("status").asText() + " " + a.path("reason").asText())
                    .containsExactly("accepted null");
        }
    }

    @Test
    void aShelfThatWouldHaveEndedAlreadyIsRejected() throws Exception {
        try (var h = open(harness(rules(RULES)))) {
            h.setProcessingTime(100_000);
            shelve(h, "hot", null, 10_000, 1_000);
            assertThat(answers(h).get(0).get("status").asText()).isEqualTo("rejected");
        }
    }

    @Test
    void aRuntimeRuleWithASparkplugActionIsRejectedWithoutASparkplugRoute() throws Exception {
        String json = "{\"name\":\"fan\",\"field\":\"temperature\",\"above\":30,"
                + "\"actions\":[{\"sparkplug\":{\"metric\":\"Fan\",\"raised\":true}}]}";
        try (var h = open(harness(rules(RULES)))) {
            h.processBroadcastElement(new RuleUpdate("fan", json, 3L, null), 1);
            assertThat(h.getSideOutput(RuleBook.STATUS)).extracting(r -> JSON.readTree(r.getValue()))
                    .filteredOn(a -> "fan".equals(a.path("rule").asText()))
                    .extracting(a -> a.get("status").asText() + ": " + a.get("reason").asText())
                    .singleElement().asString().startsWith("rejected: ").contains("format: sparkplug-b");
        }
    }

    private static void shelve(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h,
            String rule, String sensor, long forMs, long at) throws Exception {
        AlertCommand shelve = AlertCommand.shelve(rule, sensor, Duration.ofMillis(forMs), null);
        command(h, new AlertCommand(shelve.id(), shelve.op(), rule, sensor, shelve.duration(), null, at));
    }

    private static void command(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h,
            AlertCommand command) throws Exception {
        h.processBroadcastElement(new RuleUpdate("", null, 1L, command.toJson()), 1);
    }

    private static List<String> commands(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h) {
        List<String> commands = new ArrayList<>();
        if (h.getSideOutput(ActionCalls.MQTT) == null) {
            return commands;
        }
        for (StreamRecord<MqttCommand> record : h.getSideOutput(ActionCalls.MQTT)) {
            commands.add(record.getValue().getTopic() + " " + record.getValue().getPayload());
        }
        return commands;
    }

    private static List<JsonNode> answers(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h)
            throws Exception {
        List<JsonNode> answers = new ArrayList<>();
        if (h.getSideOutput(RuleBook.STATUS) == null) {
            return answers;
        }
        for (StreamRecord<String> record : h.getSideOutput(RuleBook.STATUS)) {
            JsonNode answer = JSON.readTree(record.getValue());
            if (answer.has("command")) {
                answers.add(answer);
            }
        }
        return answers;
    }
}
