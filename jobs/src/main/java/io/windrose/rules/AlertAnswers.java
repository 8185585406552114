package io.windrose.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.alert.AlertCommand;
import io.windrose.cli.Cli;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's answers to one alert command, as they come on the status topic: the first {@code accepted} or
 * {@code rejected} decides; an ack's {@code acked} answers (one per alert acknowledged, from whichever subtask holds
 * it, before or after the decision) are collected. Then what to print and the exit code.
 */
final class AlertAnswers {
    private final AlertCommand command;
    private JsonNode decision;
    /** The acked answers, one per alert (measurement, level, since): a repeated answer counts once. */
    private final Map<String, JsonNode> acked = new LinkedHashMap<>();

    AlertAnswers(AlertCommand command) {
        this.command = command;
    }

    /** Takes a record of the status topic; false when it is not an answer to this command (a rule's status, another command's answer). */
    boolean offer(JsonNode record) {
        if (record == null || !record.isObject() || !command.id().equals(record.path("command").asText(null))) {
            return false;
        }
        String status = record.path("status").asText();
        if (status.equals(AlertCommand.ACKED)) {
            acked.putIfAbsent(record.path("measurement").asText() + "\n" + record.path("level").asText() + "\n"
                    + record.path("since").asText(), record);
        } else if (decision == null && (status.equals(AlertCommand.ACCEPTED) || status.equals(AlertCommand.REJECTED))) {
            decision = record;
        }
        return true;
    }

    /** Whether an {@code accepted} or {@code rejected} answer came. */
    boolean decided() {
        return decision != null;
    }

    /** Whether more answers may still come that change what is printed: the acked answers of an accepted ack. */
    boolean collectsMore() {
        return decided() && command.op().equals(AlertCommand.ACK)
                && decision.path("status").asText().equals(AlertCommand.ACCEPTED);
    }

    /** Prints the outcome of a decided command; returns the exit code. */
    int print(PrintWriter out, PrintWriter err) {
        String what = command.rule() + (command.sensor() == null ? "" : " for " + command.sensor());
        if (decision.path("status").asText().equals(AlertCommand.REJECTED)) {
            err.println("rejected: " + command.op() + " " + what + ": " + decision.path("reason").asText());
            return Cli.FAILED;
        }
        switch (command.op()) {
            case AlertCommand.ACK -> {
                if (acked.isEmpty()) {
                    err.println("no raised alert of " + what + " to acknowledge");
                    return Cli.FAILED;
                }
                List<JsonNode> alerts = new ArrayList<>(acked.values());
                for (JsonNode alert : alerts) {
                    // several alerts of one sensor and rule come from several measurements: name each
                    String measurement = alerts.size() > 1 ? " in " + alert.path("measurement").asText() : "";
                    out.println("acked " + command.rule() + " " + command.sensor() + measurement + " ("
                            + alert.path("level").asText() + " since " + iso(alert.path("since").asLong()) + ")");
                }
            }
            case AlertCommand.SHELVE -> {
                JsonNode until = decision.get("until");
                out.println("shelved " + what + " until "
                        + iso(until != null && until.canConvertToLong() ? until.asLong() : command.until()));
            }
            default -> out.println("unshelved " + what);
        }
        return Cli.OK;
    }

    /** An epoch-ms time as ISO-8601 in UTC, to the second. */
    static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
