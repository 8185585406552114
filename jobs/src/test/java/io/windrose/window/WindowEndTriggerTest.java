package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.runtime.operators.windowing.WindowOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * The window stage's operator with {@link WindowEndTrigger}: one timer per sensor and window (the cleanup timer) fires
 * each window once with all its readings, also after a snapshot and restore. {@code WindowStageOracleTest} checks the
 * stage's output against the batch oracle for every window kind.
 */
class WindowEndTriggerTest {
    private static final OutputTag<SensorReading> LATE = new OutputTag<>("late", new AvroTypeInfo<>(SensorReading.class));

    @Test
    void firesEachWindowOnceOnItsCleanupTimerAlsoAfterARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(tumbling(), Duration.ZERO)) {
            harness.open();
            for (long t = 0; t < 20_000; t += 1_000) { // two sensors, ten readings in each of two windows
                harness.processElement(new StreamRecord<>(Readings.of("s-1", t, "t", t), t));
                harness.processElement(new StreamRecord<>(Readings.of("s-2", t, "t", -t), t));
            }
            assertThat(harness.numEventTimeTimers()).as("one per sensor and window").isEqualTo(4);
            harness.processWatermark(new Watermark(9_998));
            assertThat(harness.extractOutputValues()).isEmpty();
            harness.processWatermark(new Watermark(9_999));
            assertThat(counts(harness.extractOutputValues())).containsExactlyInAnyOrder("s-1@0=10", "s-2@0=10");
            assertThat(harness.numEventTimeTimers()).isEqualTo(2);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(tumbling(), Duration.ZERO)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(Readings.of("s-1", 19_500, "t", 1.0), 19_500));
            restored.processWatermark(new Watermark(19_999));
            assertThat(counts(restored.extractOutputValues())).containsExactlyInAnyOrder("s-1@10000=11", "s-2@10000=10");
            assertThat(restored.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void replacesFlinksTriggerOnlyForWindowsThatDoNotMergeAndNoAllowedLateness() throws Exception {
        assertThat(trigger(tumbling(), Duration.ZERO)).isInstanceOf(WindowEndTrigger.class);
        WindowConfig sliding = tumbling();
        sliding.slide = Duration.ofSeconds(5);
        assertThat(trigger(sliding, Duration.ZERO)).isInstanceOf(WindowEndTrigger.class);
        assertThat(trigger(tumbling(), Duration.ofSeconds(5))).isInstanceOf(EventTimeTrigger.class);
        WindowConfig session = new WindowConfig();
        session.sessionGap = Duration.ofSeconds(30);
        assertThat(trigger(session, Duration.ZERO)).isInstanceOf(EventTimeTrigger.class);
    }

    private static WindowConfig tumbling() {
        WindowConfig window = new WindowConfig();
        window.size = Duration.ofSeconds(10);
        return window;
    }

    private static List<String> counts(List<SensorAggregate> aggregates) {
        return aggregates.stream().map(a -> a.getSensorId() + "@" + a.getWindowStart().toEpochMilli() + "="
                + a.getFields().get("t").getCount()).toList();
    }

    private static Object trigger(WindowConfig window, Duration lateness) {
        return ((WindowOperator<?, ?, ?, ?, ?>) operator(window, lateness)).getTrigger();
    }

    /** The window operator as the stage builds it. */
    private static OneInputStreamOperator<SensorReading, SensorAggregate> operator(WindowConfig window, Duration lateness) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var readings = DataStreamUtils.reinterpretAsKeyedStream(
                env.fromData(new AvroTypeInfo<>(SensorReading.class), Readings.of("s-1", 0, "t", 1.0)), new SensorKey());
        var windows = WindowStage.apply(readings, window, lateness, LATE).windows();
        @SuppressWarnings("unchecked")
        var transformation = (OneInputTransformation<SensorReading, SensorAggregate>) windows.getTransformation();
        @SuppressWarnings("unchecked")
        var operator = (OneInputStreamOperator<SensorReading, SensorAggregate>)
                ((SimpleOperatorFactory<SensorAggregate>) transformation.getOperatorFactory()).getOperator();
        return operator;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorAggregate> harness(
            WindowConfig window, Duration lateness) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(operator(window, lateness), new SensorKey(), Types.STRING);
    }
}
