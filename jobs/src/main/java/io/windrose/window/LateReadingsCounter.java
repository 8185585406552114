package io.windrose.window;

import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * Counts the readings of the windows' late side output ({@code windrose.lateReadings}); Flink's window operator only
 * counts late readings it drops, and ours are not dropped but written to the late topic.
 */
public final class LateReadingsCounter extends RichMapFunction<SensorReading, SensorReading> {
    private static final long serialVersionUID = 1L;
    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("lateReadings");
    }

    @Override
    public SensorReading map(SensorReading reading) {
        late.inc();
        return reading;
    }
}
