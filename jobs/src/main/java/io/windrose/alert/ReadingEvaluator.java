package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.state.MapState;

/**
 * How one kind of rule judges one reading of a sensor: one implementation per kind, shared by the live job
 * ({@link ReadingAlertFunction}) and history ({@link HistoryAlertFunction}). Deadman rules are not judged per reading
 * but by the time since the last one ({@link DeadmanWatcher} live, {@link HistoryAlertFunction} over history).
 */
interface ReadingEvaluator {
    /**
     * Evaluates {@code rule} on {@code reading} against the sensor's {@code tracks}; the event of the change it makes,
     * or null.
     */
    AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception;

    /** The rule's field of {@code reading}, or null when the reading has none or the rule's scope leaves it out. */
    static Double value(AlertRule rule, SensorReading reading) {
        Double value = reading.getFields().get(rule.field);
        return value == null || !rule.scope.includes(reading.getSensorId(), reading.getTags()) ? null : value;
    }

    /** The evaluator of {@code kind}. */
    static ReadingEvaluator of(RuleKind kind) {
        return switch (kind) {
            case THRESHOLD -> ThresholdEvaluator.INSTANCE;
            case RATE -> RateEvaluator.INSTANCE;
            case STUCK -> StuckEvaluator.INSTANCE;
            case ANOMALY -> AnomalyEvaluator.INSTANCE;
            case DEADMAN -> throw new IllegalArgumentException("deadman rules are watched over time, not per reading");
            case OFFLINE -> throw new IllegalArgumentException("offline rules are judged on state markers, not readings");
        };
    }
}
