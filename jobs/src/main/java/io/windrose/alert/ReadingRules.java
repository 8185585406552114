package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RatePoint;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * A rule set's rules on readings, by how they run (on arrival, in event-time order, deadman), and the evaluation of
 * one rule on one reading of a sensor: one code path for the live job ({@link ReadingAlertFunction}) and for history
 * ({@link HistoryAlertFunction}).
 */
final class ReadingRules {
    /** Rate rules keep at most this many readings of their span per sensor (the oldest is always kept). */
    static final int MAX_RATE_POINTS = 1_000;

    final List<AlertRule> onArrival = new ArrayList<>();
    final List<AlertRule> ordered = new ArrayList<>();
    final List<AlertRule> deadman = new ArrayList<>();

    ReadingRules(List<AlertRule> rules) {
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

    /** Whether an event-time ordered rule applies to {@code reading}: if none does, it need not wait for the watermark. */
    boolean orderedInScope(SensorReading reading) {
        for (AlertRule rule : ordered) {
            if (reading.getFields().containsKey(rule.field) && rule.scope.includes(reading.getSensorId(), reading.getTags())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates {@code rule} on {@code reading} against the sensor's {@code tracks}; the event of the change it makes,
     * or null.
     */
    static AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        Double value = reading.getFields().get(rule.field);
        if (value == null || !rule.scope.includes(reading.getSensorId(), reading.getTags())) {
            return null;
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
                return null;
            }
            observed = rate;
        }
        AlertTracker.Change change = AlertTracker.evaluate(rule, track, observed, time);
        if (change != null || rule.ordered() || rule.flapping()) {
            // plain threshold rules keep only their level: nothing else to write while it stays the same
            tracks.put(rule.name, track);
        }
        return change == null ? null : AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                reading.getTags(), observed, time);
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
}
