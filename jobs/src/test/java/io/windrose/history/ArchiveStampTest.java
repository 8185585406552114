package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Each archived reading carries the watermark the windows judged it by, kept across a restore as the guard keeps it. */
class ArchiveStampTest {
    @Test
    void stampsTheHighestWatermarkSeenAndKeepsItAcrossARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            feed(harness, 5_000); // no watermark yet
            harness.processWatermark(new Watermark(25_000));
            feed(harness, 9_999, 26_000);
            harness.processWatermark(new Watermark(20_000)); // lower: the windows still judge by 25 s
            feed(harness, 27_000);
            assertThat(stamps(harness)).containsExactly(Long.MIN_VALUE, 25_000L, 25_000L, 25_000L);
            assertThat(harness.extractOutputValues()).extracting(t -> t.f0.getEventTime().toEpochMilli())
                    .containsExactly(5_000L, 9_999L, 26_000L, 27_000L);
            assertThat(harness.getOutput()).filteredOn(StreamRecord.class::isInstance)
                    .extracting(r -> ((StreamRecord<?>) r).getTimestamp()).as("the event time goes on as the record's")
                    .containsExactly(5_000L, 9_999L, 26_000L, 27_000L);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open(); // no watermark since the restore: the windows' guard still judges by 25 s
            feed(restored, 7_000);
            restored.processWatermark(new Watermark(30_000));
            feed(restored, 31_000);
            assertThat(stamps(restored)).containsExactly(25_000L, 30_000L);
        }
    }

    private static OneInputStreamOperatorTestHarness<SensorReading, Tuple2<SensorReading, Long>> harness()
            throws Exception {
        return new OneInputStreamOperatorTestHarness<>(new ArchiveStamp());
    }

    private static void feed(OneInputStreamOperatorTestHarness<SensorReading, Tuple2<SensorReading, Long>> harness,
            long... times) throws Exception {
        for (long t : times) {
            harness.processElement(new StreamRecord<>(Readings.of("s-1", t, "t", 1.0), t));
        }
    }

    private static List<Long> stamps(OneInputStreamOperatorTestHarness<SensorReading, Tuple2<SensorReading, Long>> h) {
        return h.extractOutputValues().stream().map(t -> t.f1).toList();
    }
}
