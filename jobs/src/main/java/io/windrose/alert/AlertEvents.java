package io.windrose.alert;

import io.windrose.action.Templates;
import io.windrose.config.Durations;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/** Builds the {@link AlertEvent} of a change, with the rule's message template filled in. */
final class AlertEvents {
    private static final String THRESHOLD_MESSAGE = "{rule} {state} ({level}): {sensor} {field} {value}, threshold {threshold}";
    private static final String DEADMAN_MESSAGE = "{rule} {state} ({level}): no reading from {sensor} for {value} s"
            + " (after {threshold} s)";
    private static final String STUCK_MESSAGE = "{rule} {state} ({level}): {sensor} {field} stuck at {value} for {for}";
    private static final String ANOMALY_MESSAGE = "{rule} {state} ({level}): {sensor} {field} {value}, {score} deviations"
            + " from its baseline (sigma {threshold})";
    /** An anomaly alert cleared because its baseline started again (no score while it warms up), or retired. */
    private static final String ANOMALY_RESTART_MESSAGE = "{rule} {state} ({level}): {sensor} {field} {value}, the"
            + " sensor's baseline starts again";
    private static final String OFFLINE_MESSAGE = "{rule} {state} ({level}): {sensor} is offline";
    private static final String ONLINE_MESSAGE = "{rule} {state} ({level}): {sensor} is back online";
    private static final String UNSTUCK_MESSAGE = "{rule} {state} ({level}): {sensor} {field} moved to {value}";

    private AlertEvents() {}

    /**
     * @param value the reading's value, the rate, the window's statistic, or a deadman's seconds without a reading
     * @param time the event time of the change (a deadman's: when the silence was detected)
     */
    static AlertEvent of(AlertRule rule, AlertTracker.Change change, String sensorId, String measurement,
            Map<String, String> tags, double value, long time) {
        return of(rule, change, sensorId, measurement, tags, value, time, Double.NaN);
    }

    /** As above, with an anomaly rule's {@code score} (NaN: none, the event's score is null). */
    static AlertEvent of(AlertRule rule, AlertTracker.Change change, String sensorId, String measurement,
            Map<String, String> tags, double value, long time, double score) {
        boolean firstRaise = change.state() == AlertState.RAISED && change.previous() == null;
        AlertEvent event = AlertEvent.newBuilder()
                .setSensorId(sensorId)
                .setMeasurement(measurement)
                .setTags(tags)
                .setRule(rule.name)
                .setLevel(change.level().toString())
                .setState(change.state())
                .setField(rule.field == null ? "" : rule.field)
                .setValue(finite(value))
                .setThreshold(finite(change.threshold()))
                .setEventTime(Instant.ofEpochMilli(time))
                .setKind(rule.kind.toString())
                .setPreviousLevel(change.previous() == null ? null : change.previous().toString())
                .setStartedAt(Instant.ofEpochMilli(firstRaise ? time : change.raisedAt()))
                .setDurationMs(firstRaise ? 0L : Math.max(0, time - change.raisedAt()))
                .setFlapping(change.flapping())
                .setScore(Double.isFinite(score) ? score : null)
                .build();
        String template = rule.message != null ? rule.message
                : rule.kind == RuleKind.DEADMAN ? DEADMAN_MESSAGE
                : rule.kind == RuleKind.STUCK ? (change.state() == AlertState.CLEARED ? UNSTUCK_MESSAGE : STUCK_MESSAGE)
                : rule.kind == RuleKind.OFFLINE ? (change.state() == AlertState.CLEARED ? ONLINE_MESSAGE : OFFLINE_MESSAGE)
                : rule.kind == RuleKind.ANOMALY ? (event.getScore() == null ? ANOMALY_RESTART_MESSAGE : ANOMALY_MESSAGE)
                : THRESHOLD_MESSAGE;
        event.setMessage(Templates.fill(template, values(rule, event)));
        return event;
    }

    /** The placeholders of messages and action templates: the event's fields and its sensor's tags. */
    static Function<String, String> values(AlertRule rule, AlertEvent event) {
        return key -> switch (key) {
            case "sensor" -> event.getSensorId();
            case "measurement" -> event.getMeasurement();
            case "rule" -> event.getRule();
            case "level" -> event.getLevel();
            case "state" -> event.getState().name() + (event.getFlapping() ? " (flapping)" : "");
            case "field" -> event.getField();
            case "value" -> number(event.getValue());
            case "threshold" -> number(event.getThreshold());
            case "score" -> event.getScore() == null ? "none" : number(event.getScore());
            case "for" -> Durations.format(Duration.ofMillis(rule.kind == RuleKind.DEADMAN ? rule.afterMs : rule.holdMs));
            case "kind" -> event.getKind();
            default -> event.getTags().get(key);
        };
    }

    /** Six significant digits, no trailing zeros: 41, 2.5, 0.333333. */
    static String number(double value) {
        return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Events never carry NaN or infinity (InfluxDB refuses them, JSON cannot write them). */
    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0.0;
    }
}
