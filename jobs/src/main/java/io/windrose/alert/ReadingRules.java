package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
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
     * Evaluates {@code rule} (threshold or rate) on {@code reading} against the sensor's {@code tracks}, by the
     * {@link ReadingEvaluator} of its kind; the event of the change it makes, or null.
     */
    static AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        return ReadingEvaluator.of(rule.kind).evaluate(rule, reading, tracks);
    }
}
