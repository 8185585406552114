package io.windrose.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * From an alert change to what Alertmanager is posted: labels and annotations, the defaults, generatorURL, the body;
 * and the notifier: resent every resend-interval while raised, ended on CLEARED and on a level change, a raised alert
 * posted again after a snapshot and restore, a cleared one not.
 */
class AlertmanagerNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();

    @Test
    void labelsAreTheTagsTheDefaultsTheRulesLabelsAndAlertnameSensorLevelAnnotationsAreFilled() throws Exception {
        ActionConfig action = action(List.of(), Map.of("team", "facilities", "site", "from-rule"),
                Map.of("summary", "{sensor}: {field} {value} above {threshold}"));
        AlertEvent event = event(AlertState.RAISED, "warning", null, T0, Map.of("site", "site-a", "room.no", "7",
                "level", "from-tag"));
        List<AlertmanagerAlert> alerts = ActionCalls.alertmanager(List.of(action), event, values(event));
        assertThat(alerts).hasSize(1);
        ActionsConfig.Alertmanager defaults = defaults();
        defaults.labels.put("env", "lab");
        defaults.labels.put("team", "default-team");
        defaults.grafanaUrl = "http://127.0.0.1:3000/";
        AlertmanagerAlert alert = AlertmanagerNotifier.finish(alerts.get(0), defaults);
        assertThat(alert.getLabels()).isEqualTo(Map.of("alertname", "too-hot", "sensor", "s-1", "level", "warning",
                "site", "from-rule", "room_no", "7", "team", "facilities", "env", "lab"));
        assertThat(alert.getAnnotations()).isEqualTo(Map.of("summary", "s-1: temperature 31.5 above 30",
                "message", "too-hot RAISED"));
        assertThat(alert.getUrls()).containsExactly("http://am:9093");
        assertThat(alert.getGeneratorUrl()).isEqualTo(
                "http://127.0.0.1:3000/d/windrose-sensors/windrose-sensors?var-measurement=sensors&var-sensor=s-1&var-field=temperature");

        JsonNode body = JSON.readTree(AlertmanagerPayload.json(List.of(alert), T0 + 60_000));
        assertThat(body.get(0).path("startsAt").asText()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(body.get(0).has("endsAt")).as("a firing alert has no endsAt").isFalse();
        assertThat(body.get(0).path("labels").path("alertname").asText()).isEqualTo("too-hot");
        assertThat(body.get(0).path("generatorURL").asText()).contains("var-sensor=s-1");
    }

    @Test
    void aRuleMessageAnnotationWinsAndTheRulesUrlsWin() {
        ActionConfig action = action(List.of("http://a:1", "http://b:2"), Map.of(), Map.of("message", "{sensor} hot"));
        AlertEvent event = event(AlertState.RAISED, "warning", null, T0, Map.of());
        AlertmanagerAlert alert = AlertmanagerNotifier.finish(ActionCalls.alertmanager(List.of(action), event,
                values(event)).get(0), defaults());
        assertThat(alert.getAnnotations()).isEqualTo(Map.of("message", "s-1 hot"));
        assertThat(alert.getUrls()).containsExactly("http://a:1", "http://b:2");
        assertThat(alert.getGeneratorUrl()).as("no grafana-url").isNull();
    }

    @Test
    void anEndsAtIsNeverAfterNowNorBeforeStartsAt() throws Exception {
        AlertmanagerAlert ended = alert(AlertState.CLEARED, "warning", null, T0 + 10_000);
        assertThat(JSON.readTree(AlertmanagerPayload.json(List.of(ended), T0 + 5_000)).get(0).path("endsAt").asText())
                .as("a clock ahead: now").isEqualTo("2026-01-01T10:00:05Z");
        ended.setEndsAt(T0 - 5_000);
        assertThat(JSON.readTree(AlertmanagerPayload.json(List.of(ended), T0 + 60_000)).get(0).path("endsAt").asText())
                .as("not before startsAt").isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void aRaisedAlertIsResentEveryIntervalEndedWhenClearedAndPostedAgainAfterARestoreAClearedOneNot() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            harness.setProcessingTime(0);
            harness.processElement(alert(AlertState.RAISED, "warning", null, T0), T0);
            harness.processElement(alertFor("s-2", AlertState.RAISED, T0), T0);
            harness.processElement(alertFor("s-2", AlertState.CLEARED, T0 + 1_000), T0 + 1_000);
            assertThat(posts(harness)).containsExactly("s-1 warning firing", "s-2 warning firing", "s-2 warning resolved");
            harness.getOutput().clear();
            harness.setProcessingTime(60_000);
            assertThat(posts(harness)).as("resent after resend-interval; s-2 not").containsExactly("s-1 warning firing");
            assertThat(harness.extractOutputValues().get(0).getStartsAt()).as("the same startsAt").isEqualTo(T0);
            harness.getOutput().clear();
            harness.setProcessingTime(90_000);
            assertThat(posts(harness)).isEmpty();
            snapshot = harness.snapshot(1L, 90_000); // the next resend is due at 120 s
        }
        try (var restored = harness()) {
            restored.setup();
            restored.initializeState(snapshot);
            restored.open();
            restored.setProcessingTime(90_001); // at once, long before the next resend (at 120 s) is due
            assertThat(posts(restored)).as("the raised alert posted again, the cleared one not")
                    .containsExactly("s-1 warning firing");
            restored.getOutput().clear();
            restored.setProcessingTime(119_000);
            assertThat(posts(restored)).as("no second post before the resend is due").isEmpty();
            restored.setProcessingTime(120_000);
            assertThat(posts(restored)).as("the resends go on, once per interval").containsExactly("s-1 warning firing");
            restored.getOutput().clear();
            restored.setProcessingTime(180_000);
            assertThat(posts(restored)).containsExactly("s-1 warning firing");
            restored.getOutput().clear();
            // a level change ends the warning alert and starts the critical one
            restored.processElement(alert(AlertState.RAISED, "critical", "warning", T0 + 300_000), T0 + 300_000);
            assertThat(posts(restored)).containsExactly("s-1 warning resolved", "s-1 critical firing");
            List<AlertmanagerAlert> out = restored.extractOutputValues();
            assertThat(out.get(0).getEndsAt()).isEqualTo(T0 + 300_000);
            assertThat(out.get(1).getStartsAt()).as("the critical alert starts at the change").isEqualTo(T0 + 300_000);
            restored.getOutput().clear();
            restored.processElement(alert(AlertState.CLEARED, "critical", null, T0 + 400_000), T0 + 400_000);
            assertThat(posts(restored)).containsExactly("s-1 critical resolved");
            restored.getOutput().clear();
            restored.setProcessingTime(1_000_000);
            assertThat(posts(restored)).as("nothing resent once cleared").isEmpty();
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, AlertmanagerAlert, AlertmanagerAlert> harness()
            throws Exception {
        ActionsConfig.Alertmanager settings = defaults();
        settings.resendInterval = Duration.ofMinutes(1);
        return new KeyedOneInputStreamOperatorTestHarness<>(new AlertmanagerNotifier.Operator(new AlertmanagerNotifier(settings)),
                AlertmanagerAlert::getKey, Types.STRING);
    }

    private static List<String> posts(KeyedOneInputStreamOperatorTestHarness<String, AlertmanagerAlert, AlertmanagerAlert> h) {
        List<String> posts = new ArrayList<>();
        for (AlertmanagerAlert a : h.extractOutputValues()) {
            posts.add(a.getSensorId() + " " + a.getLabels().get("level") + " " + (a.getRaised() ? "firing" : "resolved"));
        }
        return posts;
    }

    private static ActionsConfig.Alertmanager defaults() {
        ActionsConfig.Alertmanager defaults = new ActionsConfig.Alertmanager();
        defaults.url.add("http://am:9093");
        return defaults;
    }

    private static ActionConfig action(List<String> urls, Map<String, String> labels, Map<String, String> annotations) {
        ActionConfig action = new ActionConfig();
        action.alertmanager = new ActionConfig.Alertmanager();
        action.alertmanager.url.addAll(urls);
        action.alertmanager.labels.putAll(labels);
        action.alertmanager.annotations.putAll(annotations);
        return action;
    }

    private static AlertmanagerAlert alert(AlertState state, String level, String previous, long time) {
        return alertFor("s-1", state, level, previous, time);
    }

    private static AlertmanagerAlert alertFor(String sensor, AlertState state, long time) {
        return alertFor(sensor, state, "warning", null, time);
    }

    private static AlertmanagerAlert alertFor(String sensor, AlertState state, String level, String previous, long time) {
        AlertEvent event = event(state, level, previous, time, Map.of("site", "site-a"));
        event.setSensorId(sensor);
        return ActionCalls.alertmanager(List.of(action(List.of(), Map.of(), Map.of())), event, values(event)).get(0);
    }

    private static AlertEvent event(AlertState state, String level, String previous, long time, Map<String, String> tags) {
        return AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("sensors").setTags(tags).setRule("too-hot")
                .setLevel(level).setState(state).setField("temperature").setValue(31.5).setThreshold(30)
                .setEventTime(Instant.ofEpochMilli(time)).setPreviousLevel(previous)
                .setStartedAt(Instant.ofEpochMilli(T0)).setMessage("too-hot " + state).build();
    }

    private static java.util.function.Function<String, String> values(AlertEvent event) {
        return key -> switch (key) {
            case "sensor" -> event.getSensorId();
            case "field" -> event.getField();
            case "value" -> "31.5";
            case "threshold" -> "30";
            default -> event.getTags().get(key);
        };
    }
}
