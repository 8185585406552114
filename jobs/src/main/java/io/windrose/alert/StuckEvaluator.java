package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RatePoint;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * Stuck rules: the field has stayed within {@code tolerance} of the value that began the current run for {@code for}
 * (event time) → RAISED at the rule's level, by the reading that completes {@code for}; the first reading more than
 * {@code tolerance} from that value → CLEARED, and it begins the next run. The reference is the run's first value, not
 * the previous reading's: against the previous reading a slow drift in steps below the tolerance would count as stuck.
 * Runs in event-time order ({@link AlertRule#ordered()}). The run is kept in the track's {@code points} (the list rate
 * rules keep their span in): one point, the time and value of the run's first reading. A raised alert stays raised
 * until a reading moves (a late reading, taken at once behind the watermark, with the same value does not clear it).
 */
final class StuckEvaluator implements ReadingEvaluator {
    static final StuckEvaluator INSTANCE = new StuckEvaluator();

    private StuckEvaluator() {}

    @Override
    public AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        Double value = ReadingEvaluator.value(rule, reading);
        if (value == null) {
            return null;
        }
        AlertTrack track = ThresholdEvaluator.track(rule, tracks);
        long time = reading.getEventTime().toEpochMilli();
        List<RatePoint> run = track.getPoints();
        boolean moved = run.isEmpty() || !same(value, run.get(0).getValue(), rule.tolerance);
        if (moved) {
            run.clear();
            run.add(new RatePoint(time, value));
        }
        boolean stuck = !moved && (track.getLevel() >= 0 || time - run.get(0).getTime() >= rule.holdMs);
        AlertTracker.Change change = AlertTracker.stuck(rule, track, stuck, time);
        if (moved || change != null || rule.flapping()) {
            tracks.put(rule.name, track);
        }
        return change == null ? null : AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                reading.getTags(), value, time);
    }

    /**
     * Whether {@code value} is at most {@code tolerance} from {@code first}, give or take a billionth of their size:
     * the rounding of decimal numbers in binary (20 - 19.9 is 0.10000000000000142), so that tolerance 0.1 means what
     * it says. NaN is never the same.
     */
    static boolean same(double value, double first, double tolerance) {
        return Math.abs(value - first) <= tolerance + 1e-9 * Math.max(Math.abs(value), Math.abs(first));
    }
}
