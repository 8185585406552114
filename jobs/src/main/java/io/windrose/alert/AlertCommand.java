package io.windrose.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.config.Durations;
import java.time.Duration;
import java.util.UUID;

/**
 * An operator's command on alerts, as it travels on {@code runtime-rules.commands-topic} (key = the rule, value = this
 * as JSON): {@code ack} a raised alert of a rule for a sensor, {@code shelve} a rule (or one sensor of it) for a while,
 * {@code unshelve} it before that. The job answers each on {@code runtime-rules.status-topic} with a record whose
 * {@code command} is this {@link #id} (see {@link #answer}).
 *
 * @param id unique per command; the answers name it
 * @param op {@code ack}, {@code shelve} or {@code unshelve}
 * @param rule the rule's name
 * @param sensor the sensor id: required for {@code ack}; for {@code shelve} and {@code unshelve} null means every sensor
 * @param duration {@code shelve}: how long (positive); null otherwise
 * @param comment free text kept with the ack (the {@code ackComment} of the alert's events); may be null
 * @param at when the command was sent (wall clock, ms): a shelf lasts until {@code at + duration}
 */
public record AlertCommand(String id, String op, String rule, String sensor, Duration duration, String comment, long at) {
    public static final String ACK = "ack";
    public static final String SHELVE = "shelve";
    public static final String UNSHELVE = "unshelve";
    /** Answer statuses: the command is valid and applied (by the first subtask of the reading alerts). */
    public static final String ACCEPTED = "accepted";
    /** Answer status: the command is not valid (the reason says why); nothing changed. */
    public static final String REJECTED = "rejected";
    /** Answer status of an ack, one per alert it acknowledged (from whichever subtask holds the alert). */
    public static final String ACKED = "acked";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Acknowledges the raised alert of {@code rule} for {@code sensor}. */
    public static AlertCommand ack(String rule, String sensor, String comment) {
        return new AlertCommand(UUID.randomUUID().toString(), ACK, rule, sensor, null, comment, System.currentTimeMillis());
    }

    /** Shelves {@code rule} (for {@code sensor} only, unless null) for {@code duration}. */
    public static AlertCommand shelve(String rule, String sensor, Duration duration, String comment) {
        return new AlertCommand(UUID.randomUUID().toString(), SHELVE, rule, sensor, duration, comment,
                System.currentTimeMillis());
    }

    /** Ends the shelf of {@code rule} (for {@code sensor} only, unless null) now. */
    public static AlertCommand unshelve(String rule, String sensor) {
        return new AlertCommand(UUID.randomUUID().toString(), UNSHELVE, rule, sensor, null, null,
                System.currentTimeMillis());
    }

    /** {@link #at} + {@link #duration}: when a shelf ends by itself. */
    public long until() {
        return duration == null ? at : at + duration.toMillis();
    }

    /** The command as JSON: {@code {"id", "op", "rule", "sensor", "for", "comment", "at"}} ({@code for} as {@code 2h}). */
    public String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("op", op);
        node.put("rule", rule);
        node.put("sensor", sensor);
        node.put("for", duration == null ? null : Durations.format(duration));
        node.put("comment", comment);
        node.put("at", at);
        return node.toString();
    }

    /**
     * Reads a command; {@link IllegalArgumentException} naming the key and what was expected when it is not one (the
     * job answers that as {@link #REJECTED}).
     */
    public static AlertCommand parse(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        String id = text(node, "id");
        String op = text(node, "op");
        String rule = text(node, "rule");
        String sensor = text(node, "sensor");
        String comment = text(node, "comment");
        require(id != null && !id.isBlank(), "id", "a command id");
        require(ACK.equals(op) || SHELVE.equals(op) || UNSHELVE.equals(op), "op", "ack, shelve or unshelve");
        require(rule != null && !rule.isBlank(), "rule", "a rule name");
        require(!ACK.equals(op) || (sensor != null && !sensor.isBlank()), "sensor", "the sensor whose alert to acknowledge");
        Duration duration = null;
        if (SHELVE.equals(op)) {
            String text = text(node, "for");
            try {
                duration = text == null ? null : Durations.parse(text);
            } catch (RuntimeException e) {
                duration = null;
            }
            require(duration != null && !duration.isNegative() && !duration.isZero(), "for",
                    "how long to shelve, a positive duration such as 2h");
        }
        JsonNode at = node.get("at");
        require(at != null && at.canConvertToLong(), "at", "when the command was sent, in epoch milliseconds");
        return new AlertCommand(id, op, rule, sensor, duration, comment, at.asLong());
    }

    /**
     * An answer on the status topic: {@code {"command": id, "op", "rule", "sensor", "status", "reason", "at"}} and, for
     * a shelf, {@code until}; the caller adds what else it knows (an ack's alert: measurement, level, since).
     */
    public ObjectNode answer(String status, String reason) {
        ObjectNode node = JSON.createObjectNode();
        node.put("command", id);
        node.put("op", op);
        node.put("rule", rule);
        node.put("sensor", sensor);
        node.put("status", status);
        node.put("reason", reason);
        node.put("at", System.currentTimeMillis());
        if (SHELVE.equals(op)) {
            node.put("until", until());
        }
        return node;
    }

    /** An answer to a record that is not a command at all (no id to name): {@code command} is null. */
    public static String rejectedRecord(String reason) {
        ObjectNode node = JSON.createObjectNode();
        node.putNull("command");
        node.put("status", REJECTED);
        node.put("reason", reason);
        node.put("at", System.currentTimeMillis());
        return node.toString();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void require(boolean holds, String key, String expected) {
        if (!holds) {
            throw new IllegalArgumentException(key + ": expected " + expected);
        }
    }
}
