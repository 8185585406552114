package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;

/**
 * Deadman rules over history, in event time (live they use the wall clock, which history does not have:
 * {@link DeadmanWatcher}): RAISED at the last reading's time plus {@code after} when no reading came in between,
 * CLEARED at the next reading's time. An expected sensor (a marker, see {@link ExpectedSensors}) that sends nothing is
 * RAISED at {@code from} plus {@code after}. Nothing is raised at or after {@code horizon} (the end of the history
 * read). Keyed state: the rules' tracks, {@code sensor-identity} and {@code deadman-due} (the sensor's timer).
 */
final class HistoryDeadman {
    private final MapState<String, AlertTrack> tracks;
    private final long from;
    private final long horizon;
    private final Map<String, ? extends Set<String>> expected;
    private final ValueState<SensorReading> identity;
    private final ValueState<Long> deadmanDue;

    /** See {@link HistoryAlertFunction#HistoryAlertFunction} for {@code from}, {@code horizon} and {@code expected}. */
    HistoryDeadman(RuntimeContext context, MapState<String, AlertTrack> tracks, long from, long horizon,
            Map<String, ? extends Set<String>> expected) {
        this.tracks = tracks;
        this.from = from;
        this.horizon = horizon;
        this.expected = expected;
        identity = context.getState(new ValueStateDescriptor<>("sensor-identity", new AvroTypeInfo<>(SensorReading.class)));
        deadmanDue = context.getState(new ValueStateDescriptor<>("deadman-due", Types.LONG));
    }

    /** The marker's rule expects the sensor: silent since {@code from} unless already watched. */
    void expected(SensorReading marker, List<AlertRule> rules, TimerService timers) throws Exception {
        String rule = SensorReadings.expectedRule(marker);
        for (AlertRule deadman : rules) {
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
        schedule(rules, timers);
    }

    /** A reading of the sensor (key {@code key}): the silences it ends are CLEARED, those it shows are RAISED. */
    void seen(SensorReading reading, String key, List<AlertRule> rules, TimerService timers, Collector<AlertEvent> out)
            throws Exception {
        long time = reading.getEventTime().toEpochMilli();
        boolean any = false;
        for (AlertRule rule : rules) {
            if (!rule.scope.includes(reading.getSensorId(), reading.getTags())) {
                continue;
            }
            any = true;
            AlertTrack track = tracks.get(rule.name);
            boolean fresh = track == null;
            if (fresh) {
                track = AlertTracker.fresh();
                Set<String> expectedByRule = expected.get(rule.name);
                if (expectedByRule != null && expectedByRule.contains(key)) {
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
            schedule(rules, timers);
        }
    }

    /** An event-time timer fired: if it is the sensor's deadman timer, raises what fell silent, sets the next one. */
    void fire(long timestamp, List<AlertRule> rules, TimerService timers, Collector<AlertEvent> out) throws Exception {
        Long due = deadmanDue.value();
        if (due != null && due == timestamp) {
            deadmanDue.clear();
            silent(timestamp, rules, out);
            schedule(rules, timers);
        }
    }

    /** Raises the deadman rules silent for their {@code after} by {@code time} (where their silence began + after). */
    private void silent(long time, List<AlertRule> rules, Collector<AlertEvent> out) throws Exception {
        SensorReading sensor = identity.value();
        for (AlertRule rule : rules) {
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
    private void schedule(List<AlertRule> rules, TimerService timers) throws Exception {
        long next = Long.MAX_VALUE;
        for (AlertRule rule : rules) {
            AlertTrack track = tracks.get(rule.name);
            if (track != null && track.getLevel() < 0) {
                next = Math.min(next, track.getLastSeen() + rule.afterMs);
            }
        }
        // a timer no longer due is not deleted (an ordered reading may wait for the same time): it finds another due
        Long current = deadmanDue.value();
        if (next < horizon && (current == null || current != next)) {
            timers.registerEventTimeTimer(next);
            deadmanDue.update(next);
        } else if (next >= horizon) {
            deadmanDue.clear();
        }
    }
}
