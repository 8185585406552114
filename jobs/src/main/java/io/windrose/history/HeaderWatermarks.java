package io.windrose.history;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * A replay's watermark: the highest watermark its archived readings were stamped with, less a margin. It trails the
 * live job's, so the windows find late no reading the live job took (the margin covers live subtasks whose watermarks
 * differed), and it lets them close as the replay goes instead of holding the whole interval until the end.
 */
final class HeaderWatermarks implements WatermarkGenerator<Tuple2<SensorReading, Long>> {
    private final long marginMs;
    private long highest = Long.MIN_VALUE;

    HeaderWatermarks(long marginMs) {
        this.marginMs = marginMs;
    }

    @Override
    public void onEvent(Tuple2<SensorReading, Long> stamped, long timestamp, WatermarkOutput output) {
        highest = Math.max(highest, stamped.f1);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (highest > Long.MIN_VALUE + marginMs) {
            output.emitWatermark(new Watermark(highest - marginMs));
        }
    }
}
