package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/** The watermark a restored job no longer has, kept in state: readings for emitted windows go late. */
class EmittedWindowGuardTest {
    private static final OutputTag<SensorReading> LATE = new OutputTag<>("late") {};

    @Test
    void decidesAsTheWindowOperatorDoesAndKeepsItsWatermarkAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(0)) {
            harness.open();
            feed(harness, 5_000); // no watermark yet: nothing is late
            harness.processWatermark(new Watermark(25_000));
            feed(harness, 9_999, 19_999, 20_000, 26_000);
            assertThat(passed(harness)).containsExactly(5_000L, 20_000L, 26_000L);
            assertThat(late(harness)).containsExactly(9_999L, 19_999L);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(0)) {
            restored.initializeState(snapshot);
            restored.open(); // no watermark has arrived since the restore
            feed(restored, 7_000, 27_000);
            assertThat(late(restored)).as("its window was emitted before the stop").containsExactly(7_000L);
            assertThat(passed(restored)).containsExactly(27_000L);
        }
    }

    @Test
    void aReadingWithinAllowedLatenessStillReachesItsWindow() throws Exception {
        try (var harness = harness(10_000)) {
            harness.open();
            harness.processWatermark(new Watermark(25_000));
            feed(harness, 9_999, 15_000); // [0, 10 s) is past 10 s of lateness, [10 s, 20 s) is not
            assertThat(late(harness)).containsExactly(9_999L);
            assertThat(passed(harness)).containsExactly(15_000L);
        }
    }

    @Test
    void aLowerWatermarkAfterTheRestoreDoesNotLowerTheFloor() throws Exception {
        OperatorSubtaskState low;
        try (var harness = harness(0)) {
            harness.open();
            harness.processWatermark(new Watermark(15_000));
            low = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(0)) {
            restored.initializeState(low);
            restored.open();
            restored.processWatermark(new Watermark(12_000)); // lower than the floor: the floor stays
            feed(restored, 9_000, 12_500);
            assertThat(late(restored)).containsExactly(9_000L);
            assertThat(restored.getOperator()).extracting(op -> ((EmittedWindowGuard) op).floor()).isEqualTo(15_000L);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> harness(long lateness)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new EmittedWindowGuard(TumblingEventTimeWindows.of(Duration.ofSeconds(10)), lateness, LATE),
                new SensorKey(), Types.STRING);
    }

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> harness,
            long... times) throws Exception {
        for (long t : times) {
            harness.processElement(new StreamRecord<>(Readings.of("s-1", t, "t", 1.0), t));
        }
    }

    private static List<Long> passed(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> h) {
        return h.extractOutputValues().stream().map(r -> r.getEventTime().toEpochMilli()).toList();
    }

    private static List<Long> late(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> h) {
        return h.getSideOutput(LATE) == null ? List.of()
                : h.getSideOutput(LATE).stream().map(r -> r.getValue().getEventTime().toEpochMilli()).toList();
    }
}
