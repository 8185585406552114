package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.reading;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@code kind: anomaly} in the live operator ({@link ReadingAlertFunction} in Flink's keyed harness). */
class AnomalyEvaluatorTest {
    private static final String RULE = "[{name: odd, kind: anomaly, field: temperature, sigma: {warning: 3, critical: 5}}]";

    /** 20 ± 0.5 (uniform), one reading a second from {@code from} s: {@code count} readings. */
    private static void steady(KeyedBroadcastOperatorTestHarness<String, SensorReading, RuleUpdate, AlertEvent> h,
            String sensor, int from, int count, Random random) throws Exception {
        for (int i = from; i < from + count; i++) {
            reading(h, sensor, i * 1_000L, 19.5 + random.nextDouble());
        }
    }

    @Test
    void aSteadySensorThatJumpsRaisesCriticalAfterMinSamplesAndNotWhileWarmingUp() throws Exception {
        Random random = new Random(7);
        try (var h = open(harness(rules(RULE)))) {
            // warming up: 10 readings of 30 needed, then 25, then the rest of the warm-up
            steady(h, "s-1", 0, 10, random);
            reading(h, "s-1", 10_000, 25);
            steady(h, "s-1", 11, 19, random);
            h.processWatermark(new Watermark(29_000));
            assertThat(h.extractOutputValues()).as("no alert while warming up (29 readings learned)").isEmpty();

            steady(h, "s-2", 0, 30, random);
            reading(h, "s-2", 30_000, 25);
            reading(h, "s-2", 31_000, 20);
            h.processWatermark(new Watermark(31_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-2 odd RAISED critical 25",
                    "s-2 odd CLEARED critical from critical 20");
            AlertEvent raised = h.extractOutputValues().get(0);
            assertThat(raised.getKind()).isEqualTo("anomaly");
            assertThat(raised.getThreshold()).as("the sigma crossed").isEqualTo(5);
            assertThat(raised.getScore()).as("5 °C against a deviation of about 0.29").isBetween(12.0, 25.0);
            assertThat(raised.getMessage()).startsWith("odd RAISED (critical): s-2 temperature 25, ")
                    .endsWith(" deviations from its baseline (sigma 5)");
            assertThat(h.extractOutputValues().get(1).getScore()).as("the clearing reading's score").isLessThan(3.0);
        }
    }

    @Test
    void theBaselineDoesNotLearnWhileRaisedAndANewNormalClearsOnceTheReadingsNotLearnedOutweighTheLearned()
            throws Exception {
        Random random = new Random(3);
        try (var h = open(harness(rules("[{name: odd, kind: anomaly, field: temperature, sigma: 5, half-life: 10s,"
                + " min-samples: 5, level: critical}]")))) {
            steady(h, "s-1", 0, 60, random); // learned weight: about 14 readings' worth (half-life 10 s)
            // a lasting step to 25: raised at 60 s and held (the baseline does not learn 25 while raised) ...
            for (int i = 60; i < 120; i++) {
                reading(h, "s-1", i * 1_000L, 25 + random.nextDouble() * 0.1);
            }
            h.processWatermark(new Watermark(120_000));
            // ... until the readings it did not learn outweigh those it learned, about one half-life in: it starts
            // again, no score while it warms up, so the alert clears; warm again on 25, it stays clear
            List<AlertEvent> events = h.extractOutputValues();
            assertThat(events(events)).hasSize(2);
            assertThat(events.get(0).getEventTime().toEpochMilli()).isEqualTo(60_000);
            assertThat(events.get(1).getState().name()).isEqualTo("CLEARED");
            assertThat(events.get(1).getEventTime().toEpochMilli()).as("one half-life or so").isBetween(66_000L, 72_000L);
            assertThat(events.get(1).getScore()).as("warming up: no score").isNull();
            assertThat(events.get(1).getMessage()).endsWith(", the sensor's baseline starts again");
        }
    }

    @Test
    void aSensorWhoseWarmUpSawOnlyItsRareStateLearnsItsUsualOne() throws Exception {
        Random random = new Random(4);
        try (var h = open(harness(rules("[{name: odd, kind: anomaly, field: temperature, sigma: 5, min-samples: 30}]")))) {
            // as the local stack's quiet sensor: 20, and a minute at 23 every 5 minutes; the warm-up saw 23 only
            for (int i = 0; i < 3_600; i++) {
                boolean rare = i < 60 || i % 300 >= 240;
                reading(h, "s-1", i * 1_000L, (rare ? 22.8 : 19.8) + random.nextDouble() * 0.4);
            }
            h.processWatermark(new Watermark(3_600_000));
            List<AlertEvent> events = h.extractOutputValues();
            // 20 raises at 60 s; a minute later the readings not learned outweigh the 60 learned: the baseline starts
            // again (the alert clears) and learns 20; from then on only the minutes at 23 raise
            assertThat(events.get(0).getEventTime().toEpochMilli()).isEqualTo(60_000);
            assertThat(events.get(1).getState().name()).isEqualTo("CLEARED");
            assertThat(events.get(1).getEventTime().toEpochMilli()).isBetween(100_000L, 140_000L);
            List<AlertEvent> later = events.stream().filter(e -> e.getEventTime().toEpochMilli() >= 300_000).toList();
            assertThat(later).isNotEmpty().allSatisfy(e -> {
                long second = e.getEventTime().toEpochMilli() / 1_000 % 300;
                assertThat(second).as(e.getState() + " at the minute at 23's start or end").isIn(240L, 0L);
            });
        }
    }

    @Test
    void aLateReadingIsLearnedButChangesNoAlert() throws Exception {
        Random random = new Random(6);
        try (var h = open(harness(rules(RULE)))) {
            steady(h, "s-2", 0, 40, random);
            reading(h, "s-2", 40_000, 25);
            h.processWatermark(new Watermark(40_000));
            reading(h, "s-2", 39_500, 20); // behind the watermark: taken at once, too late to clear the alert
            reading(h, "s-2", 38_500, 40); // nor to raise one
            h.processWatermark(new Watermark(40_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-2 odd RAISED critical 25");
        }
    }

    @Test
    void aSensorBackFromALongSilenceAtAnotherLevelWarmsUpAgainInsteadOfRaising() throws Exception {
        Random random = new Random(9);
        try (var h = open(harness(rules("[{name: odd, kind: anomaly, field: temperature, sigma: 5, half-life: 2s,"
                + " min-samples: 5}]")))) {
            for (int i = 0; i < 10; i++) {
                reading(h, "s-1", i * 1_000L, 20 + random.nextDouble() * 0.1);
            }
            for (int i = 70; i < 90; i++) { // 61 s of silence: over 10 half-lives
                reading(h, "s-1", i * 1_000L, 25 + random.nextDouble() * 0.1);
            }
            h.processWatermark(new Watermark(90_000));
            assertThat(h.extractOutputValues()).isEmpty();
            reading(h, "s-1", 90_000, 30); // the new baseline is 25
            h.processWatermark(new Watermark(90_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 odd RAISED warning 30");
        }
    }

    @Test
    void aReadingOnItsWayToRaiseIsNotLearned() throws Exception {
        Random random = new Random(5);
        try (var h = open(harness(rules("[{name: odd, kind: anomaly, field: temperature, sigma: 5, for: 5s,"
                + " min-samples: 10}]")))) {
            steady(h, "s-1", 0, 20, random);
            for (int i = 20; i < 26; i++) {
                reading(h, "s-1", i * 1_000L, 24); // beyond 5 sigma for 5 s: had they been learned, no alert
            }
            h.processWatermark(new Watermark(26_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 odd RAISED warning 24");
            assertThat(h.extractOutputValues().get(0).getEventTime().toEpochMilli()).isEqualTo(25_000);
        }
    }

    @Test
    void aRestoreBetweenWarmUpAndTheJumpKeepsTheBaseline() throws Exception {
        Random random = new Random(11);
        RuleBook rules = rules(RULE);
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            steady(h, "s-1", 0, 35, random);
            h.processWatermark(new Watermark(30_000));
            snapshot = h.snapshot(1L, 1L); // 31 readings evaluated, 4 waiting for the watermark
            assertThat(h.extractOutputValues()).isEmpty();
        }
        try (var restored = harness(rules)) {
            restored.initializeState(snapshot);
            open(restored);
            reading(restored, "s-1", 35_000, 25);
            restored.processWatermark(new Watermark(35_000));
            assertThat(events(restored.extractOutputValues())).as("warm after the restore")
                    .containsExactly("s-1 odd RAISED critical 25");
        }
    }
}
