package io.windrose.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is raised now, from the alerts topic's events: the newest event of each rule, measurement and sensor, newest by
 * its position on the topic (not by event time: an ack makes the job publish the alert's latest RAISED event again,
 * with the same event time and {@code acked}); those RAISED, as a table or as JSON lines.
 */
final class RaisedAlerts {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HEADER = List.of("RULE", "SENSOR", "LEVEL", "SINCE", "VALUE", "ACKED", "SHELVED");

    private RaisedAlerts() {}

    /**
     * The raised alerts among {@code events}, which are in offset order (the topic's key is the sensor id, so one
     * sensor's events are on one partition, in order); {@code rule} and {@code sensor} filter (null: all). Sorted by
     * rule, sensor and measurement.
     */
    static List<AlertEvent> raised(Iterable<AlertEvent> events, String rule, String sensor) {
        Map<List<String>, AlertEvent> newest = new LinkedHashMap<>();
        for (AlertEvent event : events) {
            newest.put(List.of(event.getRule(), event.getMeasurement(), event.getSensorId()), event);
        }
        List<AlertEvent> raised = new ArrayList<>();
        for (AlertEvent event : newest.values()) {
            if (event.getState() == AlertState.RAISED && (rule == null || rule.equals(event.getRule()))
                    && (sensor == null || sensor.equals(event.getSensorId()))) {
                raised.add(event);
            }
        }
        raised.sort(Comparator.comparing(AlertEvent::getRule).thenComparing(AlertEvent::getSensorId)
                .thenComparing(AlertEvent::getMeasurement));
        return raised;
    }

    /** The alerts as a table with a header, columns aligned. */
    static void table(List<AlertEvent> alerts, PrintWriter out) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (AlertEvent alert : alerts) {
            rows.add(List.of(alert.getRule(), alert.getSensorId(), alert.getLevel(), AlertAnswers.iso(since(alert)
                    .toEpochMilli()), number(alert.getValue()), alert.getAcked() ? "yes" : "no",
                    alert.getShelved() ? "yes" : "no"));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /**
     * The alerts as JSON lines: rule, measurement, sensor, tags, level, kind, since (ISO-8601), value, threshold,
     * acked, ackComment, shelved, flapping, message.
     */
    static void json(List<AlertEvent> alerts, PrintWriter out) {
        for (AlertEvent alert : alerts) {
            ObjectNode line = JSON.createObjectNode();
            line.put("rule", alert.getRule());
            line.put("measurement", alert.getMeasurement());
            line.put("sensor", alert.getSensorId());
            ObjectNode tags = line.putObject("tags");
            alert.getTags().forEach((key, value) -> tags.put(key, value));
            line.put("level", alert.getLevel());
            line.put("kind", alert.getKind());
            line.put("since", since(alert).toString());
            line.put("value", alert.getValue());
            line.put("threshold", alert.getThreshold());
            line.put("acked", alert.getAcked());
            line.put("ackComment", alert.getAckComment());
            line.put("shelved", alert.getShelved());
            line.put("flapping", alert.getFlapping());
            line.put("message", alert.getMessage());
            out.println(line);
        }
    }

    /** When the alert was raised; its event's time for events written before startedAt was. */
    private static Instant since(AlertEvent alert) {
        return alert.getStartedAt() != null ? alert.getStartedAt() : alert.getEventTime();
    }

    /** A value as a person reads it: at most three decimals, no trailing zeros (41, 40.5, 0.333). */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
