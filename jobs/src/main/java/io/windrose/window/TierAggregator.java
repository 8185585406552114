package io.windrose.window;

import io.windrose.schema.SensorAggregate;
import io.windrose.window.state.WindowAccumulator;
import io.windrose.window.state.WindowPartial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * A rollup tier: tumbling windows of {@code size} per sensor, made of the partial aggregates of the windows below
 * (not of the readings again) — kept by their start, so a window below that is emitted again (a late reading within
 * allowed lateness) replaces its contribution instead of adding it twice, and the tier is emitted again with it.
 * A tier window fires when the watermark passes its end (the windows below it were all emitted by then: the window
 * operator emits before it forwards the watermark) and its parts are dropped once no correction can come.
 */
public final class TierAggregator extends KeyedProcessFunction<String, WindowPartial, SensorAggregate> {
    private static final long serialVersionUID = 1L;

    private final long size;
    private final String tag;
    private final long allowedLatenessMs;
    private final WindowStatistics statistics;
    private final WindowConfig window;
    private final OutputTag<WindowPartial> partials;
    private transient MapState<Long, WindowPartial> parts;
    private transient FieldStatsAggregate merger;

    /**
     * @param partials where this tier's own partial aggregates go, for the tier above it (null for the top tier)
     */
    public TierAggregator(long sizeMs, String tag, long allowedLatenessMs, WindowConfig window,
            OutputTag<WindowPartial> partials) {
        this.size = sizeMs;
        this.tag = tag;
        this.allowedLatenessMs = allowedLatenessMs;
        this.statistics = WindowStatistics.of(window);
        this.window = window;
        this.partials = partials;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
        parts = getRuntimeContext().getMapState(new MapStateDescriptor<>("parts", Types.LONG,
                new AvroTypeInfo<>(WindowPartial.class)));
        merger = new FieldStatsAggregate(statistics);
    }

    @Override
    public void processElement(WindowPartial part, Context context, Collector<SensorAggregate> out) throws Exception {
        long start = TimeWindow.getWindowStartWithOffset(part.getWindowStart(), 0, size);
        parts.put(part.getWindowStart(), part);
        long maxTimestamp = start + size - 1;
        if (maxTimestamp <= context.timerService().currentWatermark()) {
            emit(start, context, out); // a correction of a window below, after this tier fired
            // its parts are dropped once no correction can come (a tier window that had no part when it ended, its
            // readings all late but allowed, registered no drop timer then)
            long dropAt = maxTimestamp + allowedLatenessMs;
            if (dropAt <= context.timerService().currentWatermark()) {
                drop(start);
            } else {
                context.timerService().registerEventTimeTimer(dropAt);
            }
        } else {
            context.timerService().registerEventTimeTimer(maxTimestamp);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<SensorAggregate> out) throws Exception {
        // with an allowed lateness of whole tiers, one window's drop timer is the next one's firing time: only a window
        // with parts registers its drop timer, or each would register the next for ever (a replay's final watermark
        // then never finished, and the live job kept a timer per sensor and tier window)
        if (Math.floorMod(timestamp + 1, size) == 0 && emit(timestamp + 1 - size, context, out)) {
            long start = timestamp + 1 - size;
            if (allowedLatenessMs > 0) {
                context.timerService().registerEventTimeTimer(timestamp + allowedLatenessMs);
            } else {
                drop(start);
            }
        }
        if (allowedLatenessMs > 0 && Math.floorMod(timestamp - allowedLatenessMs + 1, size) == 0) {
            drop(timestamp - allowedLatenessMs + 1 - size); // no window below can be corrected any more
        }
    }

    /** Emits the tier window at {@code start}; false if it has no parts (nothing to emit). */
    private boolean emit(long start, Context context, Collector<SensorAggregate> out) throws Exception {
        // merged in the order of their windows, not the state's (a hash order on the heap backend, which depends on the
        // map's history): floating-point sums then come out the same every time the same windows are merged — a replay
        // wrote 1-minute means that differed from the live job's in the last digit before
        TreeMap<Long, WindowPartial> inTier = new TreeMap<>();
        for (Map.Entry<Long, WindowPartial> part : parts.entries()) {
            if (part.getKey() >= start && part.getKey() < start + size) {
                inTier.put(part.getKey(), part.getValue());
            }
        }
        if (inTier.isEmpty()) {
            return false;
        }
        WindowAccumulator acc = merger.createAccumulator();
        for (WindowPartial part : inTier.values()) {
            merger.merge(acc, part.getAccumulator());
        }
        SensorAggregate aggregate = statistics.aggregate(acc, tag, start, start + size);
        aggregate.setMeasurement(window.tierMeasurement(acc.getMeasurement(), tag));
        out.collect(aggregate);
        if (partials != null) {
            context.output(partials, new WindowPartial(start, start + size, acc));
        }
        return true;
    }

    private void drop(long start) throws Exception {
        List<Long> done = new ArrayList<>();
        for (Long partStart : parts.keys()) {
            if (partStart >= start && partStart < start + size) {
                done.add(partStart);
            }
        }
        for (Long partStart : done) {
            parts.remove(partStart);
        }
    }
}
