package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RatePoint;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * Rate rules: the field's change per {@code per} from the oldest reading within {@code over} to this one, against the
 * rule's levels. The span's readings are kept in the track.
 */
final class RateEvaluator implements ReadingEvaluator {
    static final RateEvaluator INSTANCE = new RateEvaluator();
    /** Rate rules keep at most this many readings of their span per sensor (the oldest is always kept). */
    static final int MAX_RATE_POINTS = 1_000;

    private RateEvaluator() {}

    @Override
    public AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        Double value = ReadingEvaluator.value(rule, reading);
        if (value == null) {
            return null;
        }
        AlertTrack track = ThresholdEvaluator.track(rule, tracks);
        Double rate = rate(rule, track, reading.getEventTime().toEpochMilli(), value);
        tracks.put(rule.name, track); // the span's readings changed
        return rate == null ? null : ThresholdEvaluator.level(rule, reading, track, rate, tracks);
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
