package io.windrose.window;

import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Turns a window's accumulator into a {@link SensorAggregate} stamped with the window's bounds and size tag. */
public final class WindowResultFunction
        extends ProcessWindowFunction<WindowAccumulator, SensorAggregate, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final String windowTag;

    /** @param windowTag the window size as written in the InfluxDB {@code window} tag, e.g. 10s */
    public WindowResultFunction(String windowTag) {
        this.windowTag = windowTag;
    }

    @Override
    public void process(String key, Context context, Iterable<WindowAccumulator> results, Collector<SensorAggregate> out) {
        for (WindowAccumulator acc : results) {
            Map<String, FieldStats> fields = new HashMap<>();
            for (Map.Entry<String, FieldAccumulator> entry : acc.getFields().entrySet()) {
                FieldAccumulator f = entry.getValue();
                fields.put(entry.getKey(), new FieldStats(f.getCount(), f.getMin(), f.getMax(), f.getSum() / f.getCount(),
                        f.getSum(), f.getLast()));
            }
            out.collect(SensorAggregate.newBuilder()
                    .setMeasurement(acc.getMeasurement())
                    .setSensorId(acc.getSensorId())
                    .setTags(acc.getTags())
                    .setWindow(windowTag)
                    .setWindowStart(Instant.ofEpochMilli(context.window().getStart()))
                    .setWindowEnd(Instant.ofEpochMilli(context.window().getEnd()))
                    .setFields(fields)
                    .build());
        }
    }
}
