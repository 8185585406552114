package io.windrose.alert;

import io.windrose.action.ActionCalls;
import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.SensorReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert engine for rules on readings, per sensor (keyed like the readings). One {@link AlertTrack} per rule in
 * keyed state; the state machine is {@link AlertTracker}.
 * <ul>
 *   <li>Plain threshold rules run on each reading as it arrives: the lowest latency.</li>
 *   <li>Rules with {@code for}, {@code clear-after} or a rate wait for the watermark (readings are held in state until
 *       then and taken in event-time order), so out-of-order readings give the in-order outcome; a reading already
 *       behind the watermark is taken at once.</li>
 *   <li>Deadman rules use the wall clock (processing-time timers): silent for {@code after} → RAISED, the next reading
 *       → CLEARED. Sensors of an expected list arrive as marker readings ({@link #expectedMarker}) and are watched even if
 *       never seen. After a start or a restore every sensor gets a full {@code after} before it counts as silent: the
 *       job could not see readings while it was down.</li>
 *   <li>The rules are the pipeline file's, changed at runtime by the rules topic (the broadcast input, see
 *       {@link RuleBook}); a rule deleted or replaced by one of another kind, field or input clears its raised alerts.
 *       The first subtask writes each update's outcome to the {@link RuleBook#STATUS} side output, and the rules in
 *       effect when the job starts.</li>
 *   <li>Each reading goes on to the {@link #READINGS} side output after its alerts, for the windows.</li>
 * </ul>
 * Metrics: {@code windrose.alertsRaised}, {@code windrose.alertsCleared}.
 */
public final class ReadingAlertFunction extends KeyedBroadcastProcessFunction<String, SensorReading, RuleUpdate, AlertEvent>
        implements RuleBroadcastOperator.RuleStatus {
    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(ReadingAlertFunction.class);
    /** lastSeen is written at most this often per sensor: a state write per reading would cost throughput. */
    private static final long LAST_SEEN_STEP_MS = 1_000;
    /** The topic of a marker reading that says "the expected list of rule X names this sensor". */
    private static final String EXPECTED = "$expected/";
    /**
     * Every reading this operator receives, passed on unchanged after its alerts: the windows run chained behind the
     * alerts (one keyed task, one shuffle and one serialization per reading) instead of beside them, where the source
     * serialized each reading once for each (full e2e run, QoS 0: the alerts task alone cost 2.0 µs per reading).
     */
    public static final OutputTag<SensorReading> READINGS = new OutputTag<>("readings-after-alerts",
            SensorReadingTypeInfo.READINGS);
    static final MapStateDescriptor<String, AlertTrack> TRACKS = new MapStateDescriptor<>("alert-tracks", Types.STRING,
            new AvroTypeInfo<>(AlertTrack.class));

    private final RuleBook book;
    private transient List<AlertRule> all;
    private transient ReadingRules byKind;
    private transient List<AlertRule> onArrival;
    private transient List<AlertRule> ordered;
    private transient List<AlertRule> deadman;
    private transient MapState<String, AlertTrack> tracks;
    private transient MapState<Long, List<SensorReading>> pending;
    private transient ValueState<SensorReading> identity;
    private transient ValueState<Long> deadmanTimer;
    private transient Counter raised;
    private transient Counter cleared;
    private transient long startedAt;

    public ReadingAlertFunction(RuleBook book) {
        this.book = book;
    }

    /** The reading that stands for "rule {@code rule}'s expected list names this sensor". */
    public static SensorReading expectedMarker(String rule, String measurement, String sensorId, Map<String, String> tags) {
        return SensorReading.newBuilder().setMeasurement(measurement).setSensorId(sensorId).setTags(tags)
                .setEventTime(java.time.Instant.EPOCH).setFields(Map.of()).setTopic(EXPECTED + rule).build();
    }

    /** The rule whose expected list a marker stands for. */
    static String expectedRule(SensorReading marker) {
        return marker.getTopic().substring(EXPECTED.length());
    }

    @Override
    public void open(OpenContext openContext) {
        tracks = getRuntimeContext().getMapState(TRACKS);
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("ordered-readings", Types.LONG,
                Types.LIST(new AvroTypeInfo<>(SensorReading.class))));
        identity = getRuntimeContext().getState(new ValueStateDescriptor<>("sensor-identity",
                new AvroTypeInfo<>(SensorReading.class)));
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

    private void rules(Iterable<Map.Entry<String, String>> topic) {
        if (all != null) {
            return;
        }
        all = book.effective(topic);
        byKind = new ReadingRules(all);
        onArrival = byKind.onArrival;
        ordered = byKind.ordered;
        deadman = byKind.deadman;
    }

    @Override
    public void processElement(SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        alerts(reading, ctx, out);
        ctx.output(READINGS, reading);
    }

    private void alerts(SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        rules(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries());
        long now = ctx.timerService().currentProcessingTime();
        startedAt(now);
        if (reading.getTopic().startsWith(EXPECTED)) {
            expected(reading, ctx, now);
            return;
        }
        for (AlertRule rule : onArrival) {
            evaluate(rule, reading, ctx, out);
        }
        if (!ordered.isEmpty() && byKind.orderedInScope(reading)) {
            long time = reading.getEventTime().toEpochMilli();
            if (time <= ctx.timerService().currentWatermark()) {
                for (AlertRule rule : ordered) {
                    evaluate(rule, reading, ctx, out); // behind the watermark already: nothing earlier can still come
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
            seen(reading, ctx, out, now);
        }
    }

    private void expected(SensorReading marker, ReadOnlyContext ctx, long now) throws Exception {
        String rule = expectedRule(marker);
        for (AlertRule deadmanRule : deadman) {
            if (!deadmanRule.name.equals(rule) || !deadmanRule.scope.includes(marker.getSensorId(), marker.getTags())) {
                continue;
            }
            AlertTrack track = tracks.get(deadmanRule.name);
            if (track == null) {
                track = AlertTracker.fresh();
                track.setLastSeen(now); // a never-seen sensor is silent from when the job learns of it
            }
            track.setExpectedUntil(now + ExpectedSensors.LEASE.toMillis());
            tracks.put(deadmanRule.name, track);
        }
        if (identity.value() == null) {
            identity.update(marker);
        }
        scheduleDeadman(ctx, now);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        rules(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries());
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            List<SensorReading> readings = pending.get(timestamp);
            if (readings != null) {
                pending.remove(timestamp);
                for (SensorReading reading : readings) {
                    for (AlertRule rule : ordered) {
                        evaluate(rule, reading, ctx, out);
                    }
                }
            }
            return;
        }
        // a timer restored from a checkpoint fires at once, however long ago it was due: now is what counts
        long now = ctx.timerService().currentProcessingTime();
        startedAt(now);
        deadmanTimer.clear();
        checkDeadman(now, ctx, out);
        scheduleDeadman(ctx, now);
    }

    @Override
    public String started(Iterable<Map.Entry<String, String>> topic) {
        return book.started(topic);
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (update.getName().isEmpty()) {
            return; // the placeholder of an empty rules stream (runtime rules off)
        }
        BroadcastState<String, String> topic = ctx.getBroadcastState(RuleBook.TOPIC);
        rules(topic.immutableEntries());
        AlertRule before = all.stream().filter(rule -> rule.name.equals(update.getName())).findFirst().orElse(null);
        String status;
        String reason = null;
        try {
            if (update.getJson() == null) {
                topic.put(update.getName(), RuleBook.DELETED);
                status = "deleted";
            } else {
                RuleBook.check(update);
                topic.put(update.getName(), update.getJson());
                status = "accepted";
            }
        } catch (ConfigException e) {
            status = "rejected";
            reason = e.getMessage();
        }
        if (!"rejected".equals(status)) {
            all = null;
            rules(topic.immutableEntries());
            AlertRule after = all.stream().filter(rule -> rule.name.equals(update.getName())).findFirst().orElse(null);
            if (before != null && (after == null || before.kind != after.kind || !Objects.equals(before.field, after.field)
                    || before.input != after.input)) {
                retire(before, ctx, out);
            }
            LOG.info("Rule {} {} from the rules topic (offset {})", update.getName(), status, update.getOffset());
        } else {
            LOG.warn("Rule {} from the rules topic rejected (offset {}): {}", update.getName(), update.getOffset(), reason);
        }
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            ctx.output(RuleBook.STATUS, book.status(update, status, reason, topic.immutableEntries()));
        }
    }

    /** A rule that is gone or changed beyond recognition: its raised alerts are cleared, its state dropped. */
    private void retire(AlertRule rule, Context ctx, Collector<AlertEvent> out) throws Exception {
        long now = ctx.currentProcessingTime();
        ctx.applyToKeyedState(TRACKS, (key, sensorTracks) -> {
            AlertTrack track = sensorTracks.get(rule.name);
            if (track == null) {
                return;
            }
            AlertTracker.Change change = AlertTracker.retire(rule, track);
            sensorTracks.remove(rule.name);
            if (change != null) {
                // the key is measurement/sensor id (measurements have no '/')
                int slash = key.indexOf('/');
                AlertEvent event = AlertEvents.of(rule, change, key.substring(slash + 1), key.substring(0, slash), Map.of(),
                        Double.NaN, now);
                event.setMessage("rule " + rule.name + " was deleted or replaced: alert cleared");
                cleared.inc();
                out.collect(event);
                ActionCalls.emit(rule.actions, event, AlertEvents.values(rule, event), ctx::output);
            }
        });
    }

    private void evaluate(AlertRule rule, SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out)
            throws Exception {
        AlertEvent event = ReadingRules.evaluate(rule, reading, tracks);
        if (event != null) {
            emit(rule, ctx, out, event);
        }
    }

    private void seen(SensorReading reading, ReadOnlyContext ctx, Collector<AlertEvent> out, long now) throws Exception {
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
            if (fresh || change != null || rule.flapping() || !track.getSeen()
                    || now - track.getLastSeen() >= LAST_SEEN_STEP_MS) {
                track.setLastSeen(now);
                track.setSeen(true);
                tracks.put(rule.name, track);
            }
            if (change != null) {
                emit(rule, ctx, out, AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                        reading.getTags(), silentFor / 1000.0, reading.getEventTime().toEpochMilli()));
            }
        }
        if (any) {
            if (identity.value() == null) {
                identity.update(reading);
            }
            if (deadmanTimer.value() == null) {
                scheduleDeadman(ctx, now);
            }
        }
    }

    /** Raises the deadman rules whose sensor has been silent for their {@code after}; forgets expired expectations. */
    private void checkDeadman(long now, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        SensorReading sensor = identity.value();
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
                emit(rule, ctx, out, AlertEvents.of(rule, change, sensor.getSensorId(), sensor.getMeasurement(),
                        sensor.getTags(), (now - silentSince) / 1000.0, now));
            }
        }
    }

    /** One processing-time timer per sensor: at the earliest moment a deadman rule could change. */
    private void scheduleDeadman(ReadOnlyContext ctx, long now) throws Exception {
        long next = Long.MAX_VALUE;
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

    private void emit(AlertRule rule, ReadOnlyContext ctx, Collector<AlertEvent> out, AlertEvent event) {
        (event.getState() == AlertState.RAISED ? raised : cleared).inc();
        out.collect(event);
        ActionCalls.emit(rule.actions, event, AlertEvents.values(rule, event), ctx::output);
    }
}
