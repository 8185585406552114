package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * The live job's deadman rules, on the wall clock (processing-time timers): silent for {@code after} → RAISED, the
 * next reading → CLEARED. Sensors of an expected list arrive as markers ({@link SensorReadings#expectedMarker}) and are
 * watched even if never seen, for {@link ExpectedSensors#LEASE} after the last marker. After a start or a restore every
 * sensor gets a full {@code after} before it counts as silent: the job could not see readings while it was down.
 * Keyed state: the rules' tracks, {@code sensor-identity} (the sensor the events name) and {@code deadman-timer}.
 */
final class DeadmanWatcher {
    /** lastSeen is written at most this often per sensor: a state write per reading would cost throughput. */
    private static final long LAST_SEEN_STEP_MS = 1_000;

    private final MapState<String, AlertTrack> tracks;
    private final ValueState<SensorReading> identity;
    private final ValueState<Long> deadmanTimer;
    private long startedAt = Long.MIN_VALUE;

    DeadmanWatcher(RuntimeContext context, MapState<String, AlertTrack> tracks) {
        this.tracks = tracks;
        identity = context.getState(new ValueStateDescriptor<>("sensor-identity", new AvroTypeInfo<>(SensorReading.class)));
        deadmanTimer = context.getState(new ValueStateDescriptor<>("deadman-timer", Types.LONG));
    }

    /** Notes when this run started (in processing time) if not yet noted: the grace period counts from it. */
    void started(long now) {
        if (startedAt == Long.MIN_VALUE) {
            startedAt = now;
        }
    }

    /** The expected list of the marker's rule names the sensor: watched from now on if it was not yet. */
    void expected(SensorReading marker, List<AlertRule> deadman, TimerService timers, long now) throws Exception {
        String rule = SensorReadings.expectedRule(marker);
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
        schedule(deadman, timers, now);
    }

    /** A reading of the sensor: the silences it ends are CLEARED (events to {@code emit}). */
    void seen(SensorReading reading, List<AlertRule> deadman, TimerService timers, long now,
            AlertOutput.Emitter emit) throws Exception {
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
                emit.emit(rule, AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                        reading.getTags(), silentFor / 1000.0, reading.getEventTime().toEpochMilli()));
            }
        }
        if (any) {
            if (identity.value() == null) {
                identity.update(reading);
            }
            if (deadmanTimer.value() == null) {
                schedule(deadman, timers, now);
            }
        }
    }

    /** The sensor's timer fired: raises what has been silent for its {@code after}, and sets the next timer. */
    void fire(List<AlertRule> deadman, TimerService timers, long now, AlertOutput.Emitter emit)
            throws Exception {
        deadmanTimer.clear();
        check(deadman, now, emit);
        schedule(deadman, timers, now);
    }

    /** Raises the deadman rules whose sensor has been silent for their {@code after}; forgets expired expectations. */
    private void check(List<AlertRule> deadman, long now, AlertOutput.Emitter emit) throws Exception {
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
                emit.emit(rule, AlertEvents.of(rule, change, sensor.getSensorId(), sensor.getMeasurement(),
                        sensor.getTags(), (now - silentSince) / 1000.0, now));
            }
        }
    }

    /** One processing-time timer per sensor: at the earliest moment a deadman rule could change. */
    private void schedule(List<AlertRule> deadman, TimerService timers, long now) throws Exception {
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
            timers.registerProcessingTimeTimer(next);
            deadmanTimer.update(next);
        }
    }
}
