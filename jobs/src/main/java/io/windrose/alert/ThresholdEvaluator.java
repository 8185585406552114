package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.state.MapState;

/** Threshold rules: the reading's field against the rule's levels. */
final class ThresholdEvaluator implements ReadingEvaluator {
    static final ThresholdEvaluator INSTANCE = new ThresholdEvaluator();

    private ThresholdEvaluator() {}

    @Override
    public AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        Double value = ReadingEvaluator.value(rule, reading);
        if (value == null) {
            return null;
        }
        return level(rule, reading, track(rule, tracks), value, tracks);
    }

    /** The sensor's track of {@code rule}, a fresh one if it has none. */
    static AlertTrack track(AlertRule rule, MapState<String, AlertTrack> tracks) throws Exception {
        AlertTrack track = tracks.get(rule.name);
        return track == null ? AlertTracker.fresh() : track;
    }

    /** {@code observed} (of {@code reading}) against the rule's levels: the event of the change it makes, or null. */
    static AlertEvent level(AlertRule rule, SensorReading reading, AlertTrack track, double observed,
            MapState<String, AlertTrack> tracks) throws Exception {
        long time = reading.getEventTime().toEpochMilli();
        AlertTracker.Change change = AlertTracker.evaluate(rule, track, observed, time);
        if (change != null || rule.ordered() || rule.flapping()) {
            // plain threshold rules keep only their level: nothing else to write while it stays the same
            tracks.put(rule.name, track);
        }
        return change == null ? null : AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                reading.getTags(), observed, time);
    }
}
