package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The rules on readings over the archive (replay and backtest), per sensor, with the state machine and evaluation of
 * the live job ({@link ReadingRules}, {@link AlertTracker}); no action runs.
 * <ul>
 *   <li>Plain threshold rules run on each reading in archive order, which is the order the live job took each sensor's
 *       readings in: the same transitions.</li>
 *   <li>Rules with {@code for}, {@code clear-after} or a rate, stuck and anomaly rules, take readings in event-time order as the live job did: a
 *       reading waits until the watermark passes its time ({@link OrderedReadings}), and the watermark is the one each
 *       archived reading carries (the live job's when it took the reading), so each reading is evaluated at the same
 *       point of the sensor's sequence as it was live.</li>
 *   <li>Deadman rules run in event time ({@link HistoryDeadman}).</li>
 * </ul>
 * Input: (reading, the watermark it was archived with; {@link Long#MIN_VALUE} for none and for markers).
 */
public final class HistoryAlertFunction extends KeyedProcessFunction<String, Tuple2<SensorReading, Long>, AlertEvent> {
    private static final long serialVersionUID = 1L;

    private final RuleBook book;
    private final long from;
    private final long horizon;
    private final Map<String, ? extends Set<String>> expected;
    private transient ReadingRules rules;
    private transient MapState<String, AlertTrack> tracks;
    private transient OrderedReadings pending;
    private transient HistoryDeadman deadman;

    /**
     * @param from where the history's interval starts: an expected sensor is silent from then
     * @param horizon where it ends: no deadman alert is raised at or after it
     * @param expected per deadman rule, the keys ({@code measurement/sensor id}) of the sensors its expected-sensors
     *     file names: silent from {@code from} on, whether their marker or their first reading comes first
     */
    public HistoryAlertFunction(RuleBook book, long from, long horizon, Map<String, ? extends Set<String>> expected) {
        this.book = book;
        this.from = from;
        this.horizon = horizon;
        this.expected = expected;
    }

    /** Whether {@code rules} have any rule on readings. */
    public static boolean needed(List<AlertRule> rules) {
        return rules.stream().anyMatch(rule -> rule.input == RuleInput.READING);
    }

    @Override
    public void open(OpenContext openContext) {
        rules = new ReadingRules(book.effective(List.of()));
        tracks = getRuntimeContext().getMapState(ReadingAlertFunction.TRACKS);
        pending = new OrderedReadings(getRuntimeContext());
        deadman = new HistoryDeadman(getRuntimeContext(), tracks, from, horizon, expected);
    }

    @Override
    public void processElement(Tuple2<SensorReading, Long> stamped, Context ctx, Collector<AlertEvent> out)
            throws Exception {
        SensorReading reading = stamped.f0;
        if (SensorReadings.isExpectedMarker(reading)) {
            deadman.expected(reading, rules.deadman, ctx.timerService());
            return;
        }
        long watermark = stamped.f1;
        release(watermark, out);
        evaluate(rules.onArrival, reading, out);
        // held, the sensor's next reading releases it by its own stamp; the last ones wait for the end of the input
        if (!rules.ordered.isEmpty() && rules.orderedInScope(reading) && !pending.hold(reading, watermark,
                ctx.timerService())) {
            evaluate(rules.ordered, reading, out);
        }
        if (!rules.deadman.isEmpty()) {
            deadman.seen(reading, ctx.getCurrentKey(), rules.deadman, ctx.timerService(), out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        release(timestamp, out);
        deadman.fire(timestamp, rules.deadman, ctx.timerService(), out);
    }

    /** The held readings up to {@code watermark}, in event-time order (as the live job's timers release them). */
    private void release(long watermark, Collector<AlertEvent> out) throws Exception {
        if (rules.ordered.isEmpty()) {
            return;
        }
        for (SensorReading reading : pending.release(watermark)) {
            evaluate(rules.ordered, reading, out);
        }
    }

    private void evaluate(List<AlertRule> rules, SensorReading reading, Collector<AlertEvent> out) throws Exception {
        for (AlertRule rule : rules) {
            AlertEvent event = ReadingRules.evaluate(rule, reading, tracks);
            if (event != null) {
                out.collect(event);
            }
        }
    }
}
