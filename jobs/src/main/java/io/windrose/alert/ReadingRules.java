package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.reading.SensorReadings;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * A rule set's rules on readings, by how they run (on arrival, in event-time order, deadman), and the evaluation of
 * one rule on one reading of a sensor by its kind's {@link ReadingEvaluator}: one code path for the live job
 * ({@link ReadingAlertFunction}) and for history ({@link HistoryAlertFunction}).
 */
final class ReadingRules {
    final List<AlertRule> onArrival = new ArrayList<>();
    final List<AlertRule> ordered = new ArrayList<>();
    final List<AlertRule> deadman = new ArrayList<>();
    final List<AlertRule> offline = new ArrayList<>();

    ReadingRules(List<AlertRule> rules) {
        for (AlertRule rule : rules) {
            if (rule.input != RuleInput.READING) {
                continue;
            }
            if (rule.kind == RuleKind.DEADMAN) {
                deadman.add(rule);
            } else if (rule.kind == RuleKind.OFFLINE) {
                offline.add(rule);
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
     * An offline rule on a state marker ({@link io.windrose.reading.SensorReadings#stateMarker}): RAISED when the sensor
     * says it is gone, CLEARED when it is back; the event, or null (no change, or out of the rule's scope).
     */
    static AlertEvent offline(AlertRule rule, SensorReading marker, MapState<String, AlertTrack> tracks) throws Exception {
        if (!rule.scope.includes(marker.getSensorId(), marker.getTags())) {
            return null;
        }
        AlertTrack track = tracks.get(rule.name);
        if (track == null) {
            track = AlertTracker.fresh();
        }
        boolean offline = SensorReadings.isOffline(marker);
        long time = marker.getEventTime().toEpochMilli();
        AlertTracker.Change change = AlertTracker.offline(rule, track, offline, time);
        tracks.put(rule.name, track);
        return change == null ? null : AlertEvents.of(rule, change, marker.getSensorId(), marker.getMeasurement(),
                marker.getTags(), offline ? 1 : 0, time);
    }

    /**
     * Evaluates {@code rule} (threshold or rate) on {@code reading} against the sensor's {@code tracks}, by the
     * {@link ReadingEvaluator} of its kind; the event of the change it makes, or null.
     */
    static AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        return ReadingEvaluator.of(rule.kind).evaluate(rule, reading, tracks);
    }
}
