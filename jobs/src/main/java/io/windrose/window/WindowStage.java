package io.windrose.window;

import io.windrose.config.Durations;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.window.state.WindowPartial;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.assigners.MergingWindowAssigner;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.OutputTag;

/**
 * The window stage: a sensor's readings (keyed by {@link SensorKey}) into the windows of the {@code window} section —
 * tumbling, sliding or session — and the rollup tiers above them, with late readings on a side output.
 */
public final class WindowStage {
    /** What the stage puts out: the windows' aggregates, the tiers' (null without tiers), and late readings. */
    public record Windows(DataStream<SensorAggregate> windows, DataStream<SensorAggregate> tiers,
            DataStream<SensorReading> late) {}

    /**
     * Flink's default for the aggregates' way out, not the job's 10 ms (which is for the alerts): windows close in bursts
     * when the watermark passes their end, and a flusher waking 100 times a second in between finds nothing to send.
     */
    static final long AGGREGATES_BUFFER_TIMEOUT_MS = 100;

    private WindowStage() {}

    /**
     * @param late the side output for readings past their windows' allowed lateness
     */
    public static Windows apply(KeyedStream<SensorReading, String> readings, WindowConfig window,
            Duration allowedLateness, OutputTag<SensorReading> late) {
        WindowAssigner<Object, TimeWindow> assigner = window.assigner();
        WindowStatistics statistics = WindowStatistics.of(window);
        // readings for windows emitted before a restore go late instead of opening a fresh, partial window
        SingleOutputStreamOperator<SensorReading> unemitted = readings
                .transform("emitted-window-guard", readings.getType(), new EmittedWindowGuard(assigner,
                        allowedLateness.toMillis(), late))
                .uid("emitted-window-guard");
        OutputTag<WindowPartial> partials = window.tiers.isEmpty() ? null : partials(window.tag());
        WindowedStream<SensorReading, String, TimeWindow> windowed = DataStreamUtils
                .reinterpretAsKeyedStream(unemitted, new SensorKey())
                .window(assigner);
        if (WindowEndTrigger.replaces(assigner instanceof MergingWindowAssigner, allowedLateness.toMillis())) {
            windowed = windowed.trigger(new WindowEndTrigger());
        }
        SingleOutputStreamOperator<SensorAggregate> windows = windowed
                .allowedLateness(allowedLateness)
                .sideOutputLateData(late)
                .aggregate(new FieldStatsAggregate(statistics), new WindowResultFunction(window.tag(), statistics,
                        partials, window.sessionGap != null))
                // the window in the uid: state of other windows cannot be resumed into these (see RestoreCheck)
                .name("window-aggregates").uid("window-aggregates-" + window.tag())
                .setBufferTimeout(AGGREGATES_BUFFER_TIMEOUT_MS);

        DataStream<SensorAggregate> tiers = null;
        DataStream<WindowPartial> below = partials == null ? null : windows.getSideOutput(partials);
        for (int i = 0; i < window.tiers.size(); i++) {
            String tag = Durations.format(window.tiers.get(i));
            OutputTag<WindowPartial> next = i + 1 < window.tiers.size() ? partials(tag) : null;
            // the same key on the same subtask as the windows below: chained, no shuffle
            SingleOutputStreamOperator<SensorAggregate> tier = DataStreamUtils
                    .reinterpretAsKeyedStream(below, p -> SensorKey.of(p.getAccumulator().getMeasurement(),
                            p.getAccumulator().getSensorId()), Types.STRING)
                    .process(new TierAggregator(window.tiers.get(i).toMillis(), tag, allowedLateness.toMillis(), window,
                            next))
                    .name("window-tier-" + tag).uid("window-tier-" + tag)
                    .setBufferTimeout(AGGREGATES_BUFFER_TIMEOUT_MS);
            tiers = tiers == null ? tier : tiers.union(tier);
            below = next == null ? null : tier.getSideOutput(next);
        }
        return new Windows(windows, tiers, windows.getSideOutput(late).union(unemitted.getSideOutput(late)));
    }

    private static OutputTag<WindowPartial> partials(String windowTag) {
        return new OutputTag<>("partials-" + windowTag, new AvroTypeInfo<>(WindowPartial.class));
    }
}
