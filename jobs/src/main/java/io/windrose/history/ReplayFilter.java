package io.windrose.history;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.windowing.assigners.MergingWindowAssigner;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Keeps the archived readings of the interval that the live job's windows took: a reading the live job found too late
 * for all its windows (by the watermark it was stamped with, as the window operator and its guard decide: window end
 * - 1 + allowed lateness &lt;= watermark) went to the late output then, and stays out now. Session windows merge, which
 * only the window operator knows: their readings are all kept.
 */
final class ReplayFilter implements FilterFunction<Tuple2<SensorReading, Long>> {
    private static final long serialVersionUID = 1L;

    private final Interval interval;
    private final WindowAssigner<Object, TimeWindow> assigner;
    private final long allowedLatenessMs;

    /** What an event-time assigner may ask (Flink's asks for the processing time, to stagger windows). */
    private static final class ProcessingTime extends WindowAssigner.WindowAssignerContext {
        static final ProcessingTime CONTEXT = new ProcessingTime();

        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }
    }

    ReplayFilter(Interval interval, WindowAssigner<Object, TimeWindow> assigner, long allowedLatenessMs) {
        this.interval = interval;
        this.assigner = assigner;
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public boolean filter(Tuple2<SensorReading, Long> stamped) {
        long time = stamped.f0.getEventTime().toEpochMilli();
        if (!interval.contains(time)) {
            ReplayProgress.OUTSIDE.incrementAndGet();
            return false;
        }
        if (!takenLive(time, stamped.f1)) {
            ReplayProgress.LATE.incrementAndGet();
            return false;
        }
        ReplayProgress.REPLAYED.incrementAndGet();
        return true;
    }

    private boolean takenLive(long time, long watermark) {
        if (watermark == Long.MIN_VALUE || assigner instanceof MergingWindowAssigner) {
            return true;
        }
        for (TimeWindow window : assigner.assignWindows(null, time, ProcessingTime.CONTEXT)) {
            long cleanup = window.maxTimestamp() + allowedLatenessMs;
            if (cleanup < window.maxTimestamp() || cleanup > watermark) { // overflow: never late
                return true;
            }
        }
        return false;
    }
}
