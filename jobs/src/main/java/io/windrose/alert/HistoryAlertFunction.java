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
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The rules on readings over the archive (replay and backtest), per sensor, with the state machine and evaluation of
 * the live job ({@link ReadingRules}, {@link AlertTracker}); no action runs.
 * <ul>
 *   <li>Plain threshold rules run on each reading in archive order, which is the order the live job took each sensor's
 *       readings in: the same transitions.</li>
 *   <li>Rules with {@code for}, {@code clear-after} or a rate take readings in event-time order as the live job did: a
 *       reading waits until the watermark passes its time, and the watermark is the one each archived reading carries
 *       (the live job's when it took the reading), so each reading is evaluated at the same point of the sensor's
 *       sequence as it was live.</li>
 *   <li>Deadman rules run in event time (live they use the wall clock, which history does not have): RAISED at the last
 *       reading's time plus {@code after} when no reading came in between, CLEARED at the next reading's time. An
 *       expected sensor (a marker, see {@link ExpectedSensors}) that sends nothing is RAISED at {@code from} plus
 *       {@code after}. Nothing is raised at or after {@code horizon} (the end of the history read).</li>
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
    private transient ValueState<SensorReading> identity;
    private transient ValueState<Long> deadmanDue;

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
        identity = getRuntimeContext().getState(new ValueStateDescriptor<>("sensor-identity",
                new AvroTypeInfo<>(SensorReading.class)));
        deadmanDue = getRuntimeContext().getState(new ValueStateDescriptor<>("deadman-due", Types.LONG));
    }

    @Override
    public void processElement(Tuple2<SensorReading, Long> stamped, Context ctx, Collector<AlertEvent> out)
            throws Exception {
        SensorReading reading = stamped.f0;
        if (SensorReadings.isExpectedMarker(reading)) {
            expected(reading, ctx);
            return;
        }
        long watermark = stamped.f1;
        release(watermark, out);
        for (AlertRule rule : rules.onArrival) {
            collect(ReadingRules.evaluate(rule, reading, tracks), out);
        }
        // held, the sensor's next reading releases it by its own stamp; the last ones wait for the end of the input
        if (!rules.ordered.isEmpty() && rules.orderedInScope(reading) && !pending.hold(reading, watermark,
                ctx.timerService())) {
            for (AlertRule rule : rules.ordered) {
                collect(ReadingRules.evaluate(rule, reading, tracks), out);
            }
        }
        if (!rules.deadman.isEmpty()) {
            seen(reading, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        release(timestamp, out);
        Long due = deadmanDue.value();
        if (due != null && due == timestamp) {
            deadmanDue.clear();
            silent(timestamp, out);
            schedule(ctx);
        }
    }

    /** The held readings up to {@code watermark}, in event-time order (as the live job's timers release them). */
    private void release(long watermark, Collector<AlertEvent> out) throws Exception {
        if (rules.ordered.isEmpty()) {
            return;
        }
        for (SensorReading reading : pending.release(watermark)) {
            for (AlertRule rule : rules.ordered) {
                collect(ReadingRules.evaluate(rule, reading, tracks), out);
            }
        }
    }

    private void expected(SensorReading marker, Context ctx) throws Exception {
        String rule = SensorReadings.expectedRule(marker);
        for (AlertRule deadman : rules.deadman) {
            if (deadman.name.equals(rule) && deadman.scope.includes(marker.getSensorId(), marker.getTags())
                    && tracks.get(deadman.name) == null) {
                AlertTrack track = AlertTracker.fresh();
                track.setLastSeen(from);
                tracks.put(deadman.name, track);
            }
        }
        if (identity.value() == null) {
            identity.update(marker);
        }
        schedule(ctx);
    }

    private void seen(SensorReading reading, Context ctx, Collector<AlertEvent> out) throws Exception {
        long time = reading.getEventTime().toEpochMilli();
        boolean any = false;
        for (AlertRule rule : rules.deadman) {
            if (!rule.scope.includes(reading.getSensorId(), reading.getTags())) {
                continue;
            }
            any = true;
            AlertTrack track = tracks.get(rule.name);
            boolean fresh = track == null;
            if (fresh) {
                track = AlertTracker.fresh();
                Set<String> expectedByRule = expected.get(rule.name);
                if (expectedByRule != null && expectedByRule.contains(ctx.getCurrentKey())) {
                    track.setLastSeen(from); // expected: silent since the start, as when its marker comes first
                    fresh = false;
                }
            } else if (track.getSeen() && time <= track.getLastSeen()) {
                continue; // older than the newest reading: it does not end a silence
            }
            long lastSeen = track.getLastSeen();
            long silence = fresh ? 0 : time - lastSeen;
            if (!fresh && track.getLevel() < 0 && silence >= rule.afterMs && track.getLastSeen() + rule.afterMs < horizon) {
                // a silence the watermark has not reached yet (history reads far ahead of it): raised where it began
                raise(rule, track, track.getLastSeen() + rule.afterMs, reading, out);
            }
            // a reading behind a raise its silence made (it came after the watermark passed, late): cleared where the
            // raise is, not before it
            long at = track.getLevel() >= 0 ? Math.max(time, track.getLastSeen() + rule.afterMs) : time;
            AlertTracker.Change change = track.getLevel() >= 0 || rule.flapping()
                    ? AlertTracker.deadman(rule, track, false, at) : null;
            track.setLastSeen(time);
            track.setSeen(true);
            tracks.put(rule.name, track);
            if (change != null) {
                out.collect(AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                        reading.getTags(), (at - lastSeen) / 1000.0, at));
            }
        }
        if (any) {
            if (identity.value() == null) {
                identity.update(reading);
            }
            schedule(ctx);
        }
    }

    /** Raises the deadman rules silent for their {@code after} by {@code time} (where their silence began + after). */
    private void silent(long time, Collector<AlertEvent> out) throws Exception {
        SensorReading sensor = identity.value();
        for (AlertRule rule : rules.deadman) {
            AlertTrack track = tracks.get(rule.name);
            if (track == null || track.getLevel() >= 0 || track.getLastSeen() + rule.afterMs > time) {
                continue;
            }
            raise(rule, track, track.getLastSeen() + rule.afterMs, sensor, out);
            tracks.put(rule.name, track);
        }
    }

    private static void raise(AlertRule rule, AlertTrack track, long time, SensorReading sensor, Collector<AlertEvent> out) {
        AlertTracker.Change change = AlertTracker.deadman(rule, track, true, time);
        if (change != null) {
            out.collect(AlertEvents.of(rule, change, sensor.getSensorId(), sensor.getMeasurement(), sensor.getTags(),
                    (time - track.getLastSeen()) / 1000.0, time));
        }
    }

    /** One event-time timer per sensor: when its next deadman rule falls silent (none at or after the horizon). */
    private void schedule(Context ctx) throws Exception {
        long next = Long.MAX_VALUE;
        for (AlertRule rule : rules.deadman) {
            AlertTrack track = tracks.get(rule.name);
            if (track != null && track.getLevel() < 0) {
                next = Math.min(next, track.getLastSeen() + rule.afterMs);
            }
        }
        // a timer no longer due is not deleted (an ordered reading may wait for the same time): it finds another due
        Long current = deadmanDue.value();
        if (next < horizon && (current == null || current != next)) {
            ctx.timerService().registerEventTimeTimer(next);
            deadmanDue.update(next);
        } else if (next >= horizon) {
            deadmanDue.clear();
        }
    }

    private static void collect(AlertEvent event, Collector<AlertEvent> out) {
        if (event != null) {
            out.collect(event);
        }
    }
}
