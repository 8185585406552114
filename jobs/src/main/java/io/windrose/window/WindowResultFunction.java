package io.windrose.window;

import io.windrose.schema.SensorAggregate;
import io.windrose.window.state.WindowAccumulator;
import io.windrose.window.state.WindowPartial;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a window's accumulator into a {@link SensorAggregate} stamped with the window's bounds and tag. For session
 * windows it remembers the sessions it emitted (per sensor, until Flink drops them): when a late reading
 * merges emitted sessions into one, the merged session is emitted under its start and the others are retracted — an
 * aggregate with {@code retracted} set, for the sinks to delete what they stored under those starts.
 */
public final class WindowResultFunction
        extends ProcessWindowFunction<WindowAccumulator, SensorAggregate, String, TimeWindow> {
    private static final long serialVersionUID = 3L;
    private static final MapStateDescriptor<Long, Long> EMITTED_SESSIONS =
            new MapStateDescriptor<>("emitted-sessions", Types.LONG, Types.LONG);

    private final String windowTag;
    private final WindowStatistics statistics;
    private final OutputTag<WindowPartial> partials;
    private final boolean sessions;

    /**
     * @param windowTag the window as written in the InfluxDB {@code window} tag, e.g. 10s
     * @param partials where each window's accumulator also goes, for rollup tiers (null without tiers)
     * @param sessions whether the windows are session windows (which merge)
     */
    public WindowResultFunction(String windowTag, WindowStatistics statistics, OutputTag<WindowPartial> partials,
            boolean sessions) {
        this.windowTag = windowTag;
        this.statistics = statistics;
        this.partials = partials;
        this.sessions = sessions;
    }

    @Override
    public void process(String key, Context context, Iterable<WindowAccumulator> results, Collector<SensorAggregate> out)
            throws Exception {
        long start = context.window().getStart();
        long end = context.window().getEnd();
        for (WindowAccumulator acc : results) {
            if (sessions) {
                retractMerged(context, acc, start, end, out);
            }
            out.collect(statistics.aggregate(acc, windowTag, start, end));
            if (partials != null) {
                // a copy: the accumulator is the window's state, which a late reading may still change
                context.output(partials, new WindowPartial(start, end, WindowAccumulator.newBuilder(acc).build()));
            }
        }
    }

    private void retractMerged(Context context, WindowAccumulator acc, long start, long end,
            Collector<SensorAggregate> out) throws Exception {
        MapState<Long, Long> emitted = context.globalState().getMapState(EMITTED_SESSIONS);
        List<Long> done = new ArrayList<>();
        for (Map.Entry<Long, Long> session : emitted.entries()) {
            long otherStart = session.getKey();
            // sessions are disjoint, and one that Flink dropped (past its lateness) cannot lie inside a live one: an
            // emitted session starting inside this window was merged into it
            if (otherStart > start && otherStart < end) {
                out.collect(SensorAggregate.newBuilder()
                        .setMeasurement(acc.getMeasurement()).setSensorId(acc.getSensorId()).setTags(acc.getTags())
                        .setWindow(windowTag).setWindowStart(Instant.ofEpochMilli(otherStart))
                        .setWindowEnd(Instant.ofEpochMilli(session.getValue())).setFields(Map.of()).setRetracted(true)
                        .build());
                done.add(otherStart);
            }
        }
        for (Long gone : done) {
            emitted.remove(gone);
        }
        emitted.put(start, end);
    }

    @Override
    public void clear(Context context) throws Exception {
        if (sessions) {
            // Flink drops the session (past its allowed lateness): it can merge no more
            context.globalState().getMapState(EMITTED_SESSIONS).remove(context.window().getStart());
        }
    }
}
