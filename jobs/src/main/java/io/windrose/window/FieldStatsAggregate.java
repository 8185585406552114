package io.windrose.window;

import io.windrose.schema.SensorReading;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.AggregateFunction;

/**
 * count, min, max, sum, first and last (by event time), the second moment and, when percentiles are asked for, a
 * quantile sketch of every field of one sensor's readings in a window. Mergeable: session windows, parallel partials
 * and rollup tiers combine accumulators with {@link #merge}.
 */
public final class FieldStatsAggregate implements AggregateFunction<SensorReading, WindowAccumulator, WindowAccumulator> {
    private static final long serialVersionUID = 2L;

    private final WindowStatistics statistics;

    public FieldStatsAggregate(WindowStatistics statistics) {
        this.statistics = statistics;
    }

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
                // every field set, no builder: Avro's builders cost a schema walk per record
                f = new FieldAccumulator(1L, value, value, value, value, time, value, time, 0.0,
                        statistics.percentiles() ? statistics.sketch().empty() : null);
                acc.getFields().put(field.getKey(), f);
            } else {
                // Welford: the squared distance to the mean before and after this value
                double meanBefore = f.getSum() / f.getCount();
                f.setCount(f.getCount() + 1);
                f.setSum(f.getSum() + value);
                f.setM2(f.getM2() + (value - meanBefore) * (value - f.getSum() / f.getCount()));
                f.setMin(Math.min(f.getMin(), value));
                f.setMax(Math.max(f.getMax(), value));
                if (time >= f.getLastTime()) {
                    f.setLast(value);
                    f.setLastTime(time);
                }
                if (time < f.getFirstTime()) {
                    f.setFirst(value);
                    f.setFirstTime(time);
                }
            }
            if (statistics.percentiles()) {
                if (f.getSketch() == null) { // state from before percentiles were asked for: counts from now on
                    f.setSketch(statistics.sketch().empty());
                }
                statistics.sketch().add(f.getSketch(), value);
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
                merge(fa, fb);
            }
        }
        if (a.getSensorId().isEmpty()) {
            a.setMeasurement(b.getMeasurement());
            a.setSensorId(b.getSensorId());
            a.setTags(b.getTags());
        }
        return a;
    }

    private void merge(FieldAccumulator fa, FieldAccumulator fb) {
        long n = fa.getCount() + fb.getCount();
        // Chan et al.: second moments of two partials combine with the distance between their means
        double delta = fb.getSum() / fb.getCount() - fa.getSum() / fa.getCount();
        fa.setM2(fa.getM2() + fb.getM2() + delta * delta * fa.getCount() * fb.getCount() / n);
        fa.setCount(n);
        fa.setMin(Math.min(fa.getMin(), fb.getMin()));
        fa.setMax(Math.max(fa.getMax(), fb.getMax()));
        fa.setSum(fa.getSum() + fb.getSum());
        if (fb.getLastTime() >= fa.getLastTime()) {
            fa.setLast(fb.getLast());
            fa.setLastTime(fb.getLastTime());
        }
        if (fb.getFirstTime() < fa.getFirstTime()) {
            fa.setFirst(fb.getFirst());
            fa.setFirstTime(fb.getFirstTime());
        }
        if (fb.getSketch() != null) {
            if (fa.getSketch() == null) {
                fa.setSketch(statistics.sketch().empty());
            }
            statistics.sketch().merge(fa.getSketch(), fb.getSketch());
        }
    }
}
