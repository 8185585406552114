package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.reading;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigFileLoader;
import io.windrose.schema.AlertEvent;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.Test;

/** {@code escalate}: an alert still RAISED after a while goes up a level (the live operator in Flink's harness). */
class AlertEscalationTest {
    @Test
    void anAlertStillRaisedAfterItsTimeGoesUpOnceStaysUpAndClearsFromThere() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30, escalate: {after: 10s, to: critical}}]")))) {
            for (int s = 0; s <= 15; s++) {
                reading(h, "s-1", s * 1_000L, 31);
            }
            reading(h, "s-1", 16_000, 20);
            var events = h.extractOutputValues();
            assertThat(events(events)).containsExactly("s-1 hot RAISED warning 31", "s-1 hot RAISED critical from warning 31",
                    "s-1 hot CLEARED critical from critical 20");
            assertThat(events.get(1).getEventTime().toEpochMilli()).as("10 s after the raise").isEqualTo(10_000);
            assertThat(events.get(1).getThreshold()).as("a level without a threshold: after, in seconds").isEqualTo(10);
            assertThat(events.get(1).getStartedAt().toEpochMilli()).isZero();
        }
    }

    @Test
    void escalatedUpToALevelOfItsOwnItStaysThereThroughTheLowerOneAndAReleaseStartsAgain() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: {info: 20, warning: 30, critical: 40},"
                + " escalate: {after: 5s, to: warning}}]")))) {
            reading(h, "s-1", 0, 25);
            reading(h, "s-1", 5_000, 25); // 5 s raised at info: up to warning
            reading(h, "s-1", 6_000, 22); // info holds: the escalated warning is held
            reading(h, "s-1", 7_000, 45); // critical holds: up
            reading(h, "s-1", 8_000, 25); // down, but not under the escalated warning
            reading(h, "s-1", 9_000, 10); // clear
            reading(h, "s-1", 10_000, 25); // raised again: at info, escalated again 5 s later
            reading(h, "s-1", 14_000, 25);
            reading(h, "s-1", 15_000, 25);
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED info 25",
                    "s-1 hot RAISED warning from info 25", "s-1 hot RAISED critical from warning 45",
                    "s-1 hot RAISED warning from critical 25", "s-1 hot CLEARED warning from warning 10",
                    "s-1 hot RAISED info 25", "s-1 hot RAISED warning from info 25");
            assertThat(h.extractOutputValues().get(1).getThreshold()).as("the level's own threshold").isEqualTo(30);
        }
    }

    @Test
    void anEscalatedAlertSurvivesSnapshotAndRestoreWithoutARepeat() throws Exception {
        RuleBook rules = rules("[{name: hot, field: temperature, above: 30, for: 2s, escalate: {after: 10s, to: critical}}]");
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            for (int s = 0; s <= 14; s++) {
                reading(h, "s-1", s * 1_000L, 31);
            }
            h.processWatermark(new Watermark(13_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31",
                    "s-1 hot RAISED critical from warning 31");
            assertThat(h.extractOutputValues().get(1).getEventTime().toEpochMilli()).as("raised at 2 s, + 10 s")
                    .isEqualTo(12_000);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness(rules)) {
            restored.initializeState(snapshot);
            open(restored);
            reading(restored, "s-1", 15_000, 31);
            reading(restored, "s-1", 16_000, 20);
            restored.processWatermark(new Watermark(16_000));
            assertThat(events(restored.extractOutputValues())).containsExactly("s-1 hot CLEARED critical from critical 20");
        }
    }

    @Test
    void escalateIsCheckedAtStartUp() {
        assertThatThrownBy(() -> rule("{name: r, field: t, above: {critical: 30}, escalate: {after: 5m, to: warning}}"))
                .hasMessageContaining("escalate.to").hasMessageContaining("above the rule's lowest (critical)");
        assertThatThrownBy(() -> rule("{name: r, after: 5m, escalate: {after: 5m}}"))
                .hasMessageContaining("escalate").hasMessageContaining("deadman");
        assertThatThrownBy(() -> rule("{name: r, field: t, above: 30, escalate: {to: critical}}"))
                .hasMessageContaining("escalate.after");
    }

    private static void rule(String yaml) throws Exception {
        RuleConfig config = ConfigFileLoader.mapper().readValue(yaml, RuleConfig.class);
        ConfigCheck check = new ConfigCheck("pipeline.yaml");
        config.validate(check);
    }
}
