package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.ExpectedSensor;
import io.windrose.alert.state.RatePoint;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.SensorReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alert engine for rules on readings, per sensor (keyed like the readings). One {@link AlertTrack} per rule in
 * keyed state; the state machine is {@link AlertTracker}.
 * <ul>
 *   <li>Plain threshold rules run on each reading as it arrives: the lowest latency.</li>
 *   <li>Rules with {@code for}, {@code clear-after} or a rate wait for the watermark (readings are held in state until
 *       then and taken in event-time order), so out-of-order readings give the in-order outcome; a reading already
 *       behind the watermark is taken at once.</li>
 *   <li>Deadman rules use the wall clock (processing-time timers): silent for {@code after} → RAISED, the next reading
 *       → CLEARED. Sensors of an expected list (the second input) are watched even if never seen. After a start or a
 *       restore every sensor gets a full {@code after} before it counts as silent: the job could not see readings while
 *       it was down.</li>
 * </ul>
 * Metrics: {@code windrose.alertsRaised}, {@code windrose.alertsCleared}.
 */
public final class ReadingAlertFunction extends KeyedCoProcessFunction<String, SensorReading, ExpectedSensor, AlertEvent> {
    private static final long serialVersionUID = 1L;
    /** Rate rules keep at most this many readings of their span per sensor (the oldest is always kept). */
    static final int MAX_RATE_POINTS = 1_000;
    /** lastSeen is written at most this often per sensor: a state write per reading would cost throughput. */
    private static final long LAST_SEEN_STEP_MS = 1_000;

    private final List<AlertRule> onArrival = new ArrayList<>();
    private final List<AlertRule> ordered = new ArrayList<>();
    private final List<AlertRule> deadman = new ArrayList<>();
    private transient MapState<String, AlertTrack> tracks;
    private transient MapState<Long, List<SensorReading>> pending;
    private transient ValueState<ExpectedSensor> identity;
    private transient ValueState<Long> deadmanTimer;
    private transient Counter raised;
    private transient Counter cleared;
    private transient long startedAt;

    public ReadingAlertFunction(List<AlertRule> rules) {
        for (AlertRule rule : rules) {
            if (rule.input != RuleInput.READING) {
                continue;
            }
            if (rule.kind == RuleKind.DEADMAN) {
                deadman.add(rule);
            } else if (rule.ordered()) {
                ordered.add(rule);
            } else {
                onArrival.add(rule);
            }
        }
    }

    @Override
    public void open(OpenContext openContext) {
        tracks = getRuntimeContext().getMapState(new MapStateDescriptor<>("alert-tracks", Types.STRING,
                new AvroTypeInfo<>(AlertTrack.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("ordered-readings", Types.LONG,
                Types.LIST(new AvroTypeInfo<>(SensorReading.class))));
        identity = getRuntimeContext().getState(new ValueStateDescriptor<>("deadman-sensor",
                new AvroTypeInfo<>(ExpectedSensor.class)));
        deadmanTimer = getRuntimeContext().getState(new ValueStateDescriptor<>("deadman-timer", Types.LONG));
        raised = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsRaised");
        cleared = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsCleared");
        startedAt = Long.MIN_VALUE;
    }

    /** When this run started (in processing time): the deadman grace period counts from it. */
    private long startedAt(long now) {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
        return startedAt;
    }

    @Override
    public void processElement1(SensorReading reading, Context ctx, Collector<AlertEvent> out) throws Exception {
        startedAt(ctx.timerService().currentProcessingTime());
        for (AlertRule rule : onArrival) {
            evaluate(rule, reading, out);
        }
        if (!ordered.isEmpty() && inScope(ordered, reading)) {
            long time = reading.getEventTime().toEpochMilli();
            if (time <= ctx.timerService().currentWatermark()) {
                for (AlertRule rule : ordered) {
                    evaluate(rule, reading, out); // behind the watermark already: nothing earlier can still come
                }
            } else {
                List<SensorReading> atTime = pending.get(time);
                List<SensorReading> readings = atTime == null ? new ArrayList<>() : new ArrayList<>(atTime);
                readings.add(reading);
                pending.put(time, readings);
                ctx.timerService().registerEventTimeTimer(time);
            }
        }
        if (!deadman.isEmpty()) {
            seen(reading, ctx, out);
        }
    }

    @Override
    public void processElement2(ExpectedSensor sensor, Context ctx, Collector<AlertEvent> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        startedAt(now);
        for (AlertRule rule : deadman) {
            if (!rule.name.equals(sensor.getRule()) || !rule.scope.includes(sensor.getSensorId(), sensor.getTags())) {
                continue;
            }
            AlertTrack track = tracks.get(rule.name);
            if (track == null) {
                track = AlertTracker.fresh();
                track.setLastSeen(now); // a never-seen sensor is silent from when the job learns of it
            }
            track.setExpectedUntil(now + ExpectedSensors.LEASE.toMillis());
            tracks.put(rule.name, track);
        }
        if (identity.value() == null) {
            identity.update(sensor);
        }
        scheduleDeadman(ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            List<SensorReading> readings = pending.get(timestamp);
            if (readings != null) {
                pending.remove(timestamp);
                for (SensorReading reading : readings) {
                    for (AlertRule rule : ordered) {
                        evaluate(rule, reading, out);
                    }
                }
            }
            return;
        }
        // a timer restored from a checkpoint fires at once, however long ago it was due: now is what counts
        long now = ctx.timerService().currentProcessingTime();
        startedAt(now);
        deadmanTimer.clear();
        checkDeadman(now, out);
        scheduleDeadman(ctx);
    }

    private void evaluate(AlertRule rule, SensorReading reading, Collector<AlertEvent> out) throws Exception {
        Double value = reading.getFields().get(rule.field);
        if (value == null || !rule.scope.includes(reading.getSensorId(), reading.getTags())) {
            return;
        }
        long time = reading.getEventTime().toEpochMilli();
        AlertTrack track = tracks.get(rule.name);
        if (track == null) {
            track = AlertTracker.fresh();
        }
        double observed = value;
        if (rule.kind == RuleKind.RATE) {
            Double rate = rate(rule, track, time, value);
            tracks.put(rule.name, track); // the span's readings changed
            if (rate == null) {
                return;
            }
            observed = rate;
        }
        AlertTracker.Change change = AlertTracker.evaluate(rule, track, observed, time);
        if (change != null || rule.ordered() || rule.flapping()) {
            // plain threshold rules keep only their level: nothing else to write while it stays the same
            tracks.put(rule.name, track);
        }
        if (change != null) {
            emit(AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(), reading.getTags(), observed,
                    time), out);
        }
    }

    /** The change per {@code per} from the oldest reading within {@code over} to this one; null with one reading. */
    private static Double rate(AlertRule rule, AlertTrack track, long time, double value) {
        List<RatePoint> points = track.getPoints();
        points.add(new RatePoint(time, value));
        while (points.size() > 1 && points.get(0).getTime() < time - rule.overMs) {
            points.remove(0);
        }
        if (points.size() > MAX_RATE_POINTS) {
            points.remove(1);
        }
        RatePoint oldest = points.get(0);
        if (time <= oldest.getTime()) {
            return null;
        }
        return (value - oldest.getValue()) / (time - oldest.getTime()) * rule.perMs;
    }

    private void seen(SensorReading reading, Context ctx, Collector<AlertEvent> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        boolean any = false;
        for (AlertRule rule : deadman) {
            if (!rule.scope.includes(reading.getSensorId(), reading.getTags())) {
                continue;
            }
            any = true;
            AlertTrack track = tracks.get(rule.name);
            boolean fresh = track == null;
            if (fresh) {
                track = AlertTracker.fresh();
            }
            long silentFor = now - Math.max(track.getLastSeen(), startedAt);
            AlertTracker.Change change = track.getLevel() >= 0 || rule.flapping()
                    ? AlertTracker.deadman(rule, track, false, reading.getEventTime().toEpochMilli()) : null;
            if (fresh || change != null || rule.flapping() || !track.getSeen() || now - track.getLastSeen() >= LAST_SEEN_STEP_MS) {
                track.setLastSeen(now);
                track.setSeen(true);
                tracks.put(rule.name, track);
            }
            if (change != null) {
                emit(AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(), reading.getTags(),
                        silentFor / 1000.0, reading.getEventTime().toEpochMilli()), out);
            }
        }
        if (any) {
            if (identity.value() == null) {
                identity.update(ExpectedSensor.newBuilder().setRule("").setMeasurement(reading.getMeasurement())
                        .setSensorId(reading.getSensorId()).setTags(Map.copyOf(reading.getTags())).build());
            }
            if (deadmanTimer.value() == null) {
                scheduleDeadman(ctx);
            }
        }
    }

    /** Raises the deadman rules whose sensor has been silent for their {@code after}; forgets expired expectations. */
    private void checkDeadman(long now, Collector<AlertEvent> out) throws Exception {
        ExpectedSensor sensor = identity.value();
        if (sensor == null) {
            return;
        }
        for (AlertRule rule : deadman) {
            AlertTrack track = tracks.get(rule.name);
            if (track == null) {
                continue;
            }
            long silentSince = Math.max(track.getLastSeen(), startedAt);
            AlertTracker.Change change;
            if (!track.getSeen() && track.getExpectedUntil() < now) {
                // no longer on the expected list and never seen: stop watching it
                change = AlertTracker.deadman(rule, track, false, now);
                tracks.remove(rule.name);
            } else {
                change = AlertTracker.deadman(rule, track, now - silentSince >= rule.afterMs, now);
                if (change != null || rule.flapping()) {
                    tracks.put(rule.name, track);
                }
            }
            if (change != null) {
                emit(AlertEvents.of(rule, change, sensor.getSensorId(), sensor.getMeasurement(), sensor.getTags(),
                        (now - silentSince) / 1000.0, now), out);
            }
        }
    }

    /** One processing-time timer per sensor: at the earliest moment a deadman rule could change. */
    private void scheduleDeadman(Context ctx) throws Exception {
        long next = Long.MAX_VALUE;
        long now = ctx.timerService().currentProcessingTime();
        for (AlertRule rule : deadman) {
            AlertTrack track = tracks.get(rule.name);
            if (track == null) {
                continue;
            }
            if (track.getLevel() < 0) {
                next = Math.min(next, Math.max(track.getLastSeen(), startedAt) + rule.afterMs);
            }
            if (!track.getSeen()) {
                next = Math.min(next, track.getExpectedUntil() + 1);
            }
        }
        Long current = deadmanTimer.value();
        if (next != Long.MAX_VALUE && (current == null || next < current)) {
            next = Math.max(next, now + 1);
            ctx.timerService().registerProcessingTimeTimer(next);
            deadmanTimer.update(next);
        }
    }

    private static boolean inScope(List<AlertRule> rules, SensorReading reading) {
        for (AlertRule rule : rules) {
            if (reading.getFields().containsKey(rule.field) && rule.scope.includes(reading.getSensorId(), reading.getTags())) {
                return true;
            }
        }
        return false;
    }

    private void emit(AlertEvent event, Collector<AlertEvent> out) {
        (event.getState() == AlertState.RAISED ? raised : cleared).inc();
        out.collect(event);
    }
}
