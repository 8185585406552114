package io.windrose.alert;

import static io.windrose.alert.AlertHarness.events;
import static io.windrose.alert.AlertHarness.expected;
import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.reading;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.AlertEvent;
import io.windrose.testing.Readings;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.junit.jupiter.api.Test;

/** Every rule kind of the alert engine, in Flink's keyed operator harness (state, timers, snapshot and restore). */
class ReadingAlertFunctionTest {
    @Test
    void eventTimeIsTheReadingsAloneEvenWhenTheyGoIdle() throws Exception {
        // the windows run chained behind this operator: its watermark is theirs. The rules input is at the end of time
        // (as in the job); were it counted while the readings are idle, every window would close and all later
        // readings would be late
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30}]")))) {
            h.processWatermark(new Watermark(1_000));
            h.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.IDLE);
            h.getTwoInputOperator().processWatermarkStatus1(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(2_000));
            assertThat(h.getOutput()).filteredOn(Watermark.class::isInstance)
                    .extracting(w -> ((Watermark) w).getTimestamp()).containsExactly(1_000L, 2_000L);
        }
    }

    @Test
    void eachReadingGoesOnToTheWindowsAfterItsAlerts() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30}]")))) {
            reading(h, "s-1", 1_000, 31);
            reading(h, "s-2", 2_000, 20);
            assertThat(h.getSideOutput(ReadingAlertFunction.READINGS)).extracting(r -> r.getValue().getSensorId()
                    + "@" + r.getTimestamp()).containsExactly("s-1@1000", "s-2@2000");
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31");
        }
    }

    @Test
    void aboveRaisesOnceAndClearsWhenTheValueComesBack() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30}]")))) {
            for (double t : new double[] {25, 30, 31, 35, 40, 30, 29}) {
                reading(h, "s-1", 1_000, t);
            }
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31",
                    "s-1 hot CLEARED warning from warning 30");
        }
    }

    @Test
    void belowRaisesOnceAndClearsWhenTheValueComesBack() throws Exception {
        try (var h = open(harness(rules("[{name: cold, field: temperature, below: 5, level: critical}]")))) {
            for (double t : new double[] {10, 5, 4.5, 3, 4.9, 6}) {
                reading(h, "s-1", 1_000, t);
            }
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 cold RAISED critical 4.5",
                    "s-1 cold CLEARED critical from critical 6");
        }
    }

    @Test
    void levelsWithHysteresisGoUpAndDownOneChangeAtATime() throws Exception {
        try (var h = open(harness(rules(
                "[{name: hot, field: temperature, above: {warning: 30, critical: 40}, reset: {warning: 28}}]")))) {
            for (double t : new double[] {31, 41, 29, 27}) {
                reading(h, "s-1", 1_000, t);
            }
            assertThat(events(h.extractOutputValues())).containsExactly(
                    "s-1 hot RAISED warning 31",
                    "s-1 hot RAISED critical from warning 41",
                    "s-1 hot RAISED warning from critical 29",
                    "s-1 hot CLEARED warning from warning 27");
            AlertEvent cleared = h.extractOutputValues().get(3);
            assertThat(cleared.getThreshold()).as("a clear reports the reset value crossed").isEqualTo(28);
            assertThat(h.extractOutputValues().get(1).getThreshold()).isEqualTo(40);
        }
    }

    @Test
    void hysteresisHoldsTheLevelBetweenResetAndThreshold() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30, reset: 25}]")))) {
            for (double t : new double[] {31, 29, 26, 31, 24, 29}) {
                reading(h, "s-1", 1_000, t);
            }
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31",
                    "s-1 hot CLEARED warning from warning 24");
        }
    }

    @Test
    void forRaisesOnlyAfterTheConditionHeldThatLongInEventTimeOrder() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30, for: 30s, clear-after: 20s}]")))) {
            // out of order: 40 s arrives before 10 s; the outcome is the in-order one
            reading(h, "s-1", 0, 31);
            reading(h, "s-1", 20_000, 31);
            reading(h, "s-1", 40_000, 31);
            reading(h, "s-1", 10_000, 29); // breaks the streak at 10 s
            h.processWatermark(new Watermark(40_000));
            assertThat(h.extractOutputValues()).as("held 20 s since the break, not 30").isEmpty();
            reading(h, "s-1", 50_000, 31);
            h.processWatermark(new Watermark(50_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31");
            reading(h, "s-1", 60_000, 20);
            reading(h, "s-1", 70_000, 20);
            h.processWatermark(new Watermark(70_000));
            assertThat(h.extractOutputValues()).hasSize(1);
            reading(h, "s-1", 80_000, 20);
            h.processWatermark(new Watermark(80_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 31",
                    "s-1 hot CLEARED warning from warning 20");
        }
    }

    @Test
    void rateComparesTheChangePerUnitOverTheSpan() throws Exception {
        // rising faster than 2 per minute, measured over 5 minutes
        try (var h = open(harness(rules("[{name: rising, kind: rate, field: temperature, above: 2, per: 1m, over: 5m}]")))) {
            long minute = 60_000;
            double[] values = {20, 21, 22, 25, 29, 30, 30, 30, 30, 30, 30};
            for (int i = 0; i < values.length; i++) {
                reading(h, "s-1", i * minute, values[i]);
            }
            h.processWatermark(new Watermark(values.length * minute));
            // at 4 min: (29 - 20) / 4 = 2.25/min; at 5 min: (30 - 20) / 5 = 2/min, no longer above 2
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 rising RAISED warning 2.25",
                    "s-1 rising CLEARED warning from warning 2");
            assertThat(h.extractOutputValues().get(0).getKind()).isEqualTo("rate");
            assertThat(h.extractOutputValues().get(0).getThreshold()).isEqualTo(2);
        }
    }

    @Test
    void deadmanRaisesAfterSilenceClearsOnTheNextReadingAndWatchesNeverSeenExpectedSensors() throws Exception {
        try (var h = open(harness(rules("[{name: silent, kind: deadman, after: 20s}]")))) {
            h.setProcessingTime(1_000);
            reading(h, "s-1", 1_000, 20);
            expected(h, "silent", "never-1");
            h.setProcessingTime(15_000);
            reading(h, "s-1", 15_000, 20);
            expected(h, "silent", "never-1"); // the list is read again every 10 s: never-1 stays expected
            h.setProcessingTime(25_000);
            expected(h, "silent", "never-1");
            h.setProcessingTime(30_000);
            assertThat(events(h.extractOutputValues())).as("never-1 silent since 1 s, found so at 25 s; s-1 read at 15 s")
                    .containsExactly("never-1 silent RAISED warning 24");
            h.setProcessingTime(36_000);
            assertThat(events(h.extractOutputValues())).containsExactly("never-1 silent RAISED warning 24",
                    "s-1 silent RAISED warning 21");
            h.setProcessingTime(40_000);
            reading(h, "s-1", 40_000, 20);
            reading(h, "never-1", 40_000, 20);
            assertThat(events(h.extractOutputValues())).containsExactly("never-1 silent RAISED warning 24",
                    "s-1 silent RAISED warning 21", "s-1 silent CLEARED warning from warning 25",
                    "never-1 silent CLEARED warning from warning 39");
            AlertEvent deadman = h.extractOutputValues().get(0);
            assertThat(deadman.getKind()).isEqualTo("deadman");
            assertThat(deadman.getThreshold()).isEqualTo(20);
            assertThat(deadman.getEventTime().toEpochMilli()).as("when it was detected").isEqualTo(25_000);
            assertThat(deadman.getField()).isEmpty();
        }
    }

    @Test
    void afterARestoreDeadmanGivesEverySensorAFullPeriodAndForgetsNoRaisedAlert() throws Exception {
        OperatorSubtaskState snapshot;
        RuleBook rules = rules("[{name: silent, kind: deadman, after: 20s}]");
        try (var h = open(harness(rules))) {
            h.setProcessingTime(0);
            reading(h, "quiet", 0, 1);
            reading(h, "busy", 0, 1);
            h.setProcessingTime(25_000);
            assertThat(events(h.extractOutputValues())).containsExactlyInAnyOrder("busy silent RAISED warning 25",
                    "quiet silent RAISED warning 25");
            reading(h, "busy", 25_000, 1); // busy is back: CLEARED
            snapshot = h.snapshot(1L, 25_000L);
        }
        try (var restored = harness(rules)) {
            restored.setProcessingTime(1_000_000); // the job was down for a long while
            restored.initializeState(snapshot);
            open(restored);
            restored.setProcessingTime(1_000_010);
            assertThat(restored.extractOutputValues()).as("no false alarm right after the restore").isEmpty();
            restored.setProcessingTime(1_021_000);
            assertThat(events(restored.extractOutputValues())).containsExactly("busy silent RAISED warning 20.99");
            reading(restored, "quiet", 1_021_000, 1);
            assertThat(events(restored.extractOutputValues())).as("quiet stayed raised across the restore")
                    .containsExactly("busy silent RAISED warning 20.99", "quiet silent CLEARED warning from warning 20.99");
        }
    }

    @Test
    void aRaisedAlertAndHeldReadingsSurviveSnapshotAndRestoreWithoutARepeat() throws Exception {
        RuleBook rules = rules("[{name: hot, field: temperature, above: 30},"
                + " {name: slow, field: temperature, above: 30, for: 10s}]");
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            reading(h, "s-1", 1_000, 35);
            reading(h, "s-1", 11_000, 35); // held for the watermark
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 hot RAISED warning 35");
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness(rules)) {
            restored.initializeState(snapshot);
            open(restored);
            reading(restored, "s-1", 12_000, 36);
            restored.processWatermark(new Watermark(12_000));
            reading(restored, "s-1", 13_000, 20);
            assertThat(events(restored.extractOutputValues())).containsExactly("s-1 slow RAISED warning 35",
                    "s-1 hot CLEARED warning from warning 20");
        }
    }

    @Test
    void theFirstSubtaskAnnouncesTheRulesInEffectWhenItStartsAlsoAfterARestoreWithRuntimeRules() throws Exception {
        RuleBook rules = rules("[{name: hot, field: temperature, above: 30}]");
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            h.setProcessingTime(1);
            assertThat(statuses(h)).singleElement().satisfies(json -> assertThat(json)
                    .contains("\"status\":\"started\"").contains("\"effective\":{\"hot\":{"));
            h.processBroadcastElement(new io.windrose.alert.state.RuleUpdate("humid",
                    "{\"name\":\"humid\",\"field\":\"humidity\",\"above\":50}", 7L, null), 1);
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness(rules)) {
            restored.initializeState(snapshot);
            open(restored);
            restored.setProcessingTime(2);
            assertThat(statuses(restored)).singleElement().satisfies(json -> assertThat(json)
                    .contains("\"status\":\"started\"").contains("\"hot\":{").contains("\"humid\":{"));
        }
        // one record per start, from the first subtask only
        try (var second = new org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<>(
                new RuleBroadcastOperator<>(new ReadingAlertFunction(rules, List.of("m"))), new io.windrose.window.SensorKey(),
                org.apache.flink.api.common.typeinfo.Types.STRING, 2, 2, 1)) {
            open(second);
            second.setProcessingTime(1);
            assertThat(statuses(second)).isEmpty();
        }
    }

    private static java.util.List<String> statuses(
            org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h) {
        var records = h.getSideOutput(RuleBook.STATUS);
        return records == null ? java.util.List.of() : records.stream().map(r -> r.getValue()).toList();
    }

    @Test
    void whereAndSensorsLimitARuleToSomeSensors() throws Exception {
        try (var h = open(harness(rules("[{name: pumps, field: temperature, above: 30, where: {site: a}, sensors: 'pump-*'}]")))) {
            h.processElement(Readings.of("pump-1", 1, Map.of("temperature", 40.0)), 1); // site a (Readings' tags)
            h.processElement(Readings.of("fan-1", 1, Map.of("temperature", 40.0)), 1);
            var other = Readings.of("pump-2", 1, Map.of("temperature", 40.0));
            other.setTags(Map.of("site", "b"));
            h.processElement(other, 1);
            assertThat(events(h.extractOutputValues())).containsExactly("pump-1 pumps RAISED warning 40");
        }
    }

    @Test
    void aFlappingAlertIsHeldRaisedUntilItSettles() throws Exception {
        try (var h = open(harness(rules(
                "[{name: hot, field: temperature, above: 30, flapping: {history: 4, high: 0.5, low: 0.3}}]")))) {
            double[] values = {31, 29, 31, 29, 31, 29, 20, 20, 20, 20};
            for (double v : values) {
                reading(h, "s-1", 1_000, v);
            }
            // 31 R, 29 C, 31 R, 29 C: 4 of 4 changes -> flapping, held raised; it settles once fewer than 30 % change
            assertThat(events(h.extractOutputValues())).containsExactly(
                    "s-1 hot RAISED warning 31", "s-1 hot CLEARED warning from warning 29", "s-1 hot RAISED warning 31",
                    "s-1 hot RAISED warning from warning flapping 29", "s-1 hot CLEARED warning from warning 20");
        }
    }

    @Test
    void theMessageTemplateIsFilledIn() throws Exception {
        try (var h = open(harness(rules("[{name: hot, field: temperature, above: 30, for: 0s,"
                + " message: '{sensor} at {site}: {field} {value} above {threshold} ({level}, {unknown})'}]")))) {
            reading(h, "s-1", 1_000, 31.5);
            assertThat(h.extractOutputValues().get(0).getMessage())
                    .isEqualTo("s-1 at a: temperature 31.5 above 30 (warning, {unknown})");
        }
    }

    @Test
    void stuckRaisesWhenOneValueRepeatsForItsForTimeAndClearsOnTheFirstMove() throws Exception {
        try (var h = open(harness(rules("[{name: frozen, kind: stuck, field: temperature, for: 30s, tolerance: 0.1,"
                + " level: critical}]")))) {
            // out of order: 30 s arrives before 20 s; the outcome is the in-order one
            reading(h, "s-1", 0, 20);
            reading(h, "s-1", 10_000, 20.05);
            reading(h, "s-1", 30_000, 20);
            reading(h, "s-1", 20_000, 19.9); // within 0.1 of 20: the run goes on
            h.processWatermark(new Watermark(20_000));
            assertThat(h.extractOutputValues()).as("20 s of the same value, not 30").isEmpty();
            h.processWatermark(new Watermark(30_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 frozen RAISED critical 20");
            AlertEvent raised = h.extractOutputValues().get(0);
            assertThat(raised.getKind()).isEqualTo("stuck");
            assertThat(raised.getThreshold()).as("for, in seconds").isEqualTo(30);
            assertThat(raised.getEventTime().toEpochMilli()).isEqualTo(30_000);
            assertThat(raised.getMessage()).isEqualTo("frozen RAISED (critical): s-1 temperature stuck at 20 for 30s");
            reading(h, "s-1", 40_000, 20.1);
            reading(h, "s-1", 50_000, 20.2); // 0.2 from the run's first value, 20
            h.processWatermark(new Watermark(50_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-1 frozen RAISED critical 20",
                    "s-1 frozen CLEARED critical from critical 20.2");
            assertThat(h.extractOutputValues().get(1).getMessage())
                    .isEqualTo("frozen CLEARED (critical): s-1 temperature moved to 20.2");
        }
    }

    @Test
    void stuckComparesWithTheRunsFirstValueSoASlowDriftIsNotStuck() throws Exception {
        try (var h = open(harness(rules("[{name: frozen, kind: stuck, field: temperature, for: 30s, tolerance: 0.1}]")))) {
            for (int i = 0; i <= 10; i++) {
                reading(h, "s-1", i * 10_000L, 20 + i * 0.06); // each step within 0.1 of the previous reading
            }
            h.processWatermark(new Watermark(100_000));
            assertThat(h.extractOutputValues()).isEmpty();
            var other = Readings.of("s-2", 0, "humidity", 50); // no temperature: not a reading of the rule
            h.processElement(other, 0);
            for (int i = 0; i <= 3; i++) {
                reading(h, "s-2", 100_000 + i * 10_000L, 7);
            }
            h.processWatermark(new Watermark(130_000));
            assertThat(events(h.extractOutputValues())).containsExactly("s-2 frozen RAISED warning 7");
        }
    }

    @Test
    void aStuckRunThatSpansARestoreRaisesWhenItsForTimeIsReached() throws Exception {
        RuleBook rules = rules("[{name: frozen, kind: stuck, field: temperature, for: 30s, sensors: 's-*',"
                + " where: {site: a}}]");
        OperatorSubtaskState snapshot;
        try (var h = open(harness(rules))) {
            reading(h, "s-1", 0, 20);
            reading(h, "s-1", 10_000, 20);
            h.processWatermark(new Watermark(10_000));
            reading(h, "s-1", 20_000, 20); // held for the watermark across the restore
            assertThat(h.extractOutputValues()).isEmpty();
            snapshot = h.snapshot(1L, 1L);
        }
        try (var restored = harness(rules)) {
            restored.initializeState(snapshot);
            open(restored);
            reading(restored, "s-1", 29_000, 20);
            restored.processWatermark(new Watermark(29_000));
            assertThat(restored.extractOutputValues()).as("29 s of the run").isEmpty();
            reading(restored, "s-1", 30_000, 20);
            reading(restored, "s-1", 40_000, 20);
            restored.processWatermark(new Watermark(40_000));
            assertThat(events(restored.extractOutputValues())).containsExactly("s-1 frozen RAISED warning 20");
            assertThat(restored.extractOutputValues().get(0).getEventTime().toEpochMilli()).isEqualTo(30_000);
            OperatorSubtaskState raised = restored.snapshot(2L, 2L);
            try (var again = harness(rules)) {
                again.initializeState(raised);
                open(again);
                reading(again, "s-1", 50_000, 20);
                reading(again, "s-1", 60_000, 21);
                again.processWatermark(new Watermark(60_000));
                assertThat(events(again.extractOutputValues())).as("raised across the restore, no repeat")
                        .containsExactly("s-1 frozen CLEARED warning from warning 21");
            }
        }
    }
}
