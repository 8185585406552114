package io.windrose.alert;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Holds back nothing: the watermark of a stream that carries no event time (rule updates, expected-sensor lists) is
 * always the end of time, so joining it to the readings never delays their windows.
 */
final class EndOfTime<T> implements WatermarkGenerator<T> {
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        output.emitWatermark(new Watermark(Long.MAX_VALUE));
    }
}
