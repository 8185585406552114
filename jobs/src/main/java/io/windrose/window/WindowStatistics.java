package io.windrose.window;

import io.windrose.schema.ExtraFieldStats;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.io.Serializable;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a window accumulates and reports per field: the statistics of {@code window.stats}. count, min, max, sum, last,
 * first and the second moment (for stdev) are always kept — a few numbers per field; the percentile sketch only when a
 * percentile is asked for.
 */
public final class WindowStatistics implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Set<Stat> stats;
    private final double percentileAccuracy;
    /** Asked once per field of every reading: a stream over the set here was 11 % of the keyed task (e2e profile). */
    private final boolean percentiles;
    private transient QuantileSketch sketch;

    public WindowStatistics(List<Stat> stats, double percentileAccuracy) {
        this.stats = stats.isEmpty() ? EnumSet.noneOf(Stat.class) : EnumSet.copyOf(stats);
        this.percentileAccuracy = percentileAccuracy;
        this.percentiles = this.stats.stream().anyMatch(Stat::isPercentile);
    }

    /** The statistics of {@code window.stats}. */
    public static WindowStatistics of(WindowConfig window) {
        return new WindowStatistics(window.stats, window.percentileAccuracy);
    }

    public Set<Stat> stats() {
        return stats;
    }

    boolean percentiles() {
        return percentiles;
    }

    QuantileSketch sketch() {
        if (sketch == null) {
            sketch = new QuantileSketch(percentileAccuracy);
        }
        return sketch;
    }

    /** The six statistics every aggregate carries. */
    static FieldStats stats(FieldAccumulator f) {
        return new FieldStats(f.getCount(), f.getMin(), f.getMax(), f.getSum() / f.getCount(), f.getSum(), f.getLast());
    }

    /** The statistics beyond the six that {@code window.stats} asks for, or null when it asks for none. */
    ExtraFieldStats extra(FieldAccumulator f) {
        if (!stats.contains(Stat.FIRST) && !stats.contains(Stat.STDEV) && !percentiles()) {
            return null;
        }
        ExtraFieldStats extra = new ExtraFieldStats();
        if (stats.contains(Stat.FIRST)) {
            extra.setFirst(f.getFirst());
        }
        if (stats.contains(Stat.STDEV) && f.getCount() > 1) {
            extra.setStdev(Math.sqrt(Math.max(0, f.getM2()) / (f.getCount() - 1)));
        }
        if (percentiles() && f.getSketch() != null) {
            for (Stat stat : stats) {
                if (stat.isPercentile()) {
                    double value = sketch().quantile(f.getSketch(), stat.quantile(), f.getMin(), f.getMax());
                    Double boxed = Double.isNaN(value) ? null : value;
                    switch (stat) {
                        case P50 -> extra.setP50(boxed);
                        case P90 -> extra.setP90(boxed);
                        case P95 -> extra.setP95(boxed);
                        default -> extra.setP99(boxed);
                    }
                }
            }
        }
        return extra;
    }

    /** The aggregate of one window: its accumulator's statistics, stamped with the window's bounds and tag. */
    public SensorAggregate aggregate(WindowAccumulator acc, String window, long start, long end) {
        Map<String, FieldStats> fields = new HashMap<>();
        Map<String, ExtraFieldStats> extras = new HashMap<>();
        for (Map.Entry<String, FieldAccumulator> entry : acc.getFields().entrySet()) {
            fields.put(entry.getKey(), stats(entry.getValue()));
            ExtraFieldStats extra = extra(entry.getValue());
            if (extra != null) {
                extras.put(entry.getKey(), extra);
            }
        }
        return SensorAggregate.newBuilder()
                .setMeasurement(acc.getMeasurement())
                .setSensorId(acc.getSensorId())
                .setTags(acc.getTags())
                .setWindow(window)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setFields(fields)
                .setExtraStats(extras)
                .build();
    }
}
