package io.windrose.window;

import io.windrose.schema.SensorReading;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;

/** count, min, max, sum and last (by event time) of every field of one sensor's readings in a window. */
public final class FieldStatsAggregate implements AggregateFunction<SensorReading, WindowAccumulator, WindowAccumulator> {
    private static final long serialVersionUID = 1L;

    @Override
    public WindowAccumulator createAccumulator() {
        return new WindowAccumulator("", "", new HashMap<>(), new HashMap<>());
    }

    @Override
    public WindowAccumulator add(SensorReading reading, WindowAccumulator acc) {
        long time = reading.getEventTime().toEpochMilli();
        acc.setMeasurement(reading.getMeasurement());
        acc.setSensorId(reading.getSensorId());
        if (!acc.getTags().equals(reading.getTags())) {
            // a copy: with object reuse on, the reading's map may be reused for the next record
            acc.setTags(new HashMap<>(reading.getTags()));
        }
        for (Map.Entry<String, Double> field : reading.getFields().entrySet()) {
            double value = field.getValue();
            FieldAccumulator f = acc.getFields().get(field.getKey());
            if (f == null) {
                acc.getFields().put(field.getKey(), new FieldAccumulator(1L, value, value, value, value, time));
            } else {
                f.setCount(f.getCount() + 1);
                f.setMin(Math.min(f.getMin(), value));
                f.setMax(Math.max(f.getMax(), value));
                f.setSum(f.getSum() + value);
                if (time >= f.getLastTime()) {
                    f.setLast(value);
                    f.setLastTime(time);
                }
            }
        }
        return acc;
    }

    @Override
    public WindowAccumulator getResult(WindowAccumulator acc) {
        return acc;
    }

    @Override
    public WindowAccumulator merge(WindowAccumulator a, WindowAccumulator b) {
        for (Map.Entry<String, FieldAccumulator> entry : b.getFields().entrySet()) {
            FieldAccumulator fb = entry.getValue();
            FieldAccumulator fa = a.getFields().get(entry.getKey());
            if (fa == null) {
                a.getFields().put(entry.getKey(), FieldAccumulator.newBuilder(fb).build());
            } else {
                fa.setCount(fa.getCount() + fb.getCount());
                fa.setMin(Math.min(fa.getMin(), fb.getMin()));
                fa.setMax(Math.max(fa.getMax(), fb.getMax()));
                fa.setSum(fa.getSum() + fb.getSum());
                if (fb.getLastTime() >= fa.getLastTime()) {
                    fa.setLast(fb.getLast());
                    fa.setLastTime(fb.getLastTime());
                }
            }
        }
        if (a.getSensorId().isEmpty()) {
            a.setMeasurement(b.getMeasurement());
            a.setSensorId(b.getSensorId());
            a.setTags(b.getTags());
        }
        return a;
    }
}
