package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The alert state machine per sensor and rule, in Flink's keyed operator harness (state, snapshot, restore). */
class ThresholdAlertFunctionTest {
    private static final List<ThresholdRule> RULES = List.of(
            new ThresholdRule("too-hot", "temperature", ThresholdRule.Direction.ABOVE, 30, "warning"),
            new ThresholdRule("too-cold", "temperature", ThresholdRule.Direction.BELOW, 5, "critical"));

    @Test
    void aboveRaisesOnceAndClearsWhenTheValueComesBack() throws Exception {
        try (var harness = harness()) {
            harness.open();
            feed(harness, "s-1", 25, 30, 31, 35, 40, 30, 29);
            assertThat(events(harness)).containsExactly(
                    tuple("s-1", "too-hot", AlertState.RAISED, 31.0, 30.0, "warning"),
                    tuple("s-1", "too-hot", AlertState.CLEARED, 30.0, 30.0, "warning"));
        }
    }

    @Test
    void belowRaisesOnceAndClearsWhenTheValueComesBack() throws Exception {
        try (var harness = harness()) {
            harness.open();
            feed(harness, "s-1", 10, 5, 4.5, 3, 4.9, 6);
            assertThat(events(harness)).containsExactly(
                    tuple("s-1", "too-cold", AlertState.RAISED, 4.5, 5.0, "critical"),
                    tuple("s-1", "too-cold", AlertState.CLEARED, 6.0, 5.0, "critical"));
        }
    }

    @Test
    void eachSensorHasItsOwnStateAndReadingsWithoutTheFieldChangeNothing() throws Exception {
        try (var harness = harness()) {
            harness.open();
            feed(harness, "s-1", 31);
            feed(harness, "s-2", 20);
            harness.processElement(Readings.of("s-1", 5_000, "humidity", 99), 5_000);
            feed(harness, "s-2", 32);
            feed(harness, "s-1", 20);
            assertThat(events(harness)).containsExactly(
                    tuple("s-1", "too-hot", AlertState.RAISED, 31.0, 30.0, "warning"),
                    tuple("s-2", "too-hot", AlertState.RAISED, 32.0, 30.0, "warning"),
                    tuple("s-1", "too-hot", AlertState.CLEARED, 20.0, 30.0, "warning"));
        }
    }

    @Test
    void aRaisedAlertSurvivesSnapshotAndRestoreWithoutBeingRaisedAgain() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            feed(harness, "s-1", 35);
            assertThat(events(harness)).hasSize(1);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            feed(restored, "s-1", 36, 20);
            assertThat(events(restored)).containsExactly(tuple("s-1", "too-hot", AlertState.CLEARED, 20.0, 30.0, "warning"));
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, io.windrose.schema.SensorReading, AlertEvent> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ThresholdAlertFunction(RULES)),
                new SensorKey(), Types.STRING);
    }

    private static long time = 1_000;

    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, io.windrose.schema.SensorReading, AlertEvent> h,
            String sensor, double... temperatures) throws Exception {
        for (double t : temperatures) {
            time += 1_000;
            h.processElement(Readings.of(sensor, time, "temperature", t), time);
        }
    }

    private static List<org.assertj.core.groups.Tuple> events(
            KeyedOneInputStreamOperatorTestHarness<String, io.windrose.schema.SensorReading, AlertEvent> h) {
        return h.extractOutputValues().stream().map(e -> tuple(e.getSensorId(), e.getRule(), e.getState(), e.getValue(),
                e.getThreshold(), e.getLevel())).toList();
    }
}
