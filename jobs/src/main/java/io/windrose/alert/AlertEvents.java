package io.windrose.alert;

import io.windrose.config.Durations;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the {@link AlertEvent} of a change, with the rule's message template filled in. */
final class AlertEvents {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.-]+)}");
    private static final String THRESHOLD_MESSAGE = "{rule} {state} ({level}): {sensor} {field} {value}, threshold {threshold}";
    private static final String DEADMAN_MESSAGE = "{rule} {state} ({level}): no reading from {sensor} for {value} s"
            + " (after {threshold} s)";

    private AlertEvents() {}

    /**
     * @param value the reading's value, the rate, the window's statistic, or a deadman's seconds without a reading
     * @param time the event time of the change (a deadman's: when the silence was detected)
     */
    static AlertEvent of(AlertRule rule, AlertTracker.Change change, String sensorId, String measurement,
            Map<String, String> tags, double value, long time) {
        double shownValue = finite(value);
        double threshold = finite(change.threshold());
        boolean firstRaise = change.state() == AlertState.RAISED && change.previous() == null;
        return AlertEvent.newBuilder()
                .setSensorId(sensorId)
                .setMeasurement(measurement)
                .setTags(tags)
                .setRule(rule.name)
                .setLevel(change.level().toString())
                .setState(change.state())
                .setField(rule.field == null ? "" : rule.field)
                .setValue(shownValue)
                .setThreshold(threshold)
                .setEventTime(Instant.ofEpochMilli(time))
                .setKind(rule.kind.toString())
                .setPreviousLevel(change.previous() == null ? null : change.previous().toString())
                .setStartedAt(Instant.ofEpochMilli(firstRaise ? time : change.raisedAt()))
                .setDurationMs(firstRaise ? 0L : Math.max(0, time - change.raisedAt()))
                .setFlapping(change.flapping())
                .setMessage(message(rule, change, sensorId, tags, shownValue, threshold))
                .build();
    }

    static String message(AlertRule rule, AlertTracker.Change change, String sensorId, Map<String, String> tags,
            double value, double threshold) {
        String template = rule.message != null ? rule.message
                : rule.kind == RuleKind.DEADMAN ? DEADMAN_MESSAGE : THRESHOLD_MESSAGE;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String replacement = switch (key) {
                case "sensor" -> sensorId;
                case "rule" -> rule.name;
                case "level" -> change.level().toString();
                case "state" -> change.state().name() + (change.flapping() ? " (flapping)" : "");
                case "field" -> rule.field == null ? "" : rule.field;
                case "value" -> number(value);
                case "threshold" -> number(threshold);
                case "for" -> Durations.format(Duration.ofMillis(rule.kind == RuleKind.DEADMAN ? rule.afterMs : rule.holdMs));
                case "kind" -> rule.kind.toString();
                default -> tags.getOrDefault(key, m.group());
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
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
