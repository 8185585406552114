package io.windrose.alert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert commands of {@code runtime-rules.commands-topic} ({@link AlertCommand}) in a live alert operator: an ack
 * marks the sensor's raised alert in keyed state ({@link AlertOutput#RAISED}) wherever it is; shelves are broadcast
 * state ({@link #SHELVES}, the same in every subtask) that ends by itself at its wall-clock time. The first subtask of
 * the reading alerts answers each command on the status topic ({@link RuleBook#STATUS}): accepted or rejected; every
 * subtask answers each alert it acknowledged.
 */
final class AlertCommands {
    private static final Logger LOG = LoggerFactory.getLogger(AlertCommands.class);
    /** Shelves: {@code rule + SEPARATOR + sensor} (sensor empty: every sensor of the rule) to when the shelf ends (ms). */
    static final MapStateDescriptor<String, Long> SHELVES = new MapStateDescriptor<>("alert-shelves", Types.STRING,
            Types.LONG);
    private static final char SEPARATOR = '\u0000';

    private AlertCommands() {}

    /** Whether {@code rule} is shelved for {@code sensor} at wall-clock time {@code now}. */
    static boolean shelved(ReadOnlyBroadcastState<String, Long> shelves, String rule, String sensor, long now)
            throws Exception {
        Long all = shelves.get(rule + SEPARATOR);
        if (all != null && all > now) {
            return true;
        }
        Long one = shelves.get(rule + SEPARATOR + sensor);
        return one != null && one > now;
    }

    /**
     * Applies the command {@code update} carries to this operator's state.
     *
     * @param rules the rules in effect (a command names one of them)
     * @param answers whether this subtask answers accepted / rejected (the first of the reading alerts)
     */
    static <IN> void apply(RuleUpdate update, RuntimeRules<?> rules, AlertOutput output, boolean answers,
            KeyedBroadcastProcessFunction<String, IN, RuleUpdate, AlertEvent>.Context ctx, Collector<AlertEvent> out)
            throws Exception {
        AlertCommand command;
        try {
            command = AlertCommand.parse(update.getCommand());
        } catch (IllegalArgumentException e) {
            if (answers) {
                LOG.warn("Alert command rejected (offset {} of the commands topic): {}", update.getOffset(), e.getMessage());
                ctx.output(RuleBook.STATUS, AlertCommand.rejectedRecord("not a command: " + e.getMessage()));
            }
            return;
        }
        BroadcastState<String, Long> shelves = ctx.getBroadcastState(SHELVES);
        long now = ctx.currentProcessingTime();
        if (rules.rule(command.rule(), ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries()) == null) {
            answer(answers, ctx, command, AlertCommand.REJECTED, "no rule '" + command.rule() + "' is in effect");
            return;
        }
        switch (command.op()) {
            case AlertCommand.ACK -> {
                // before the answer, so that an ack's answers come after nothing it did
                ctx.applyToKeyedState(AlertOutput.RAISED, (key, raised) -> {
                    AlertEvent kept = raised.get(command.rule());
                    if (kept == null || !kept.getSensorId().equals(command.sensor())) {
                        return;
                    }
                    AlertEvent event = AlertOutput.ack(raised, command.rule(), command.comment(), out, shelves, now);
                    output.acked();
                    LOG.info("Alert {} of {} acknowledged ({})", command.rule(), key, event.getLevel());
                    ObjectNode acked = command.answer(AlertCommand.ACKED, null);
                    acked.put("measurement", event.getMeasurement());
                    acked.put("level", event.getLevel());
                    acked.put("since", event.getStartedAt() == null ? null : event.getStartedAt().toEpochMilli());
                    ctx.output(RuleBook.STATUS, acked.toString());
                });
                answer(answers, ctx, command, AlertCommand.ACCEPTED, null);
            }
            case AlertCommand.SHELVE -> {
                expire(shelves, now);
                if (command.until() <= now) {
                    answer(answers, ctx, command, AlertCommand.REJECTED, "the shelf would have ended already (sent at "
                            + Instant.ofEpochMilli(command.at()) + ")");
                    return;
                }
                shelves.put(key(command), command.until());
                answer(answers, ctx, command, AlertCommand.ACCEPTED, null);
            }
            default -> { // unshelve
                List<String> gone = new ArrayList<>();
                for (Map.Entry<String, Long> shelf : shelves.entries()) {
                    if (command.sensor() == null ? shelf.getKey().startsWith(command.rule() + SEPARATOR)
                            : shelf.getKey().equals(key(command))) {
                        gone.add(shelf.getKey());
                    }
                }
                for (String shelf : gone) {
                    shelves.remove(shelf);
                }
                answer(answers, ctx, command, AlertCommand.ACCEPTED, gone.isEmpty() ? "nothing was shelved" : null);
            }
        }
    }

    private static String key(AlertCommand command) {
        return command.rule() + SEPARATOR + (command.sensor() == null ? "" : command.sensor());
    }

    /** Drops the shelves that have ended (they no longer count anyway). */
    private static void expire(BroadcastState<String, Long> shelves, long now) throws Exception {
        List<String> ended = new ArrayList<>();
        for (Map.Entry<String, Long> shelf : shelves.entries()) {
            if (shelf.getValue() <= now) {
                ended.add(shelf.getKey());
            }
        }
        for (String shelf : ended) {
            shelves.remove(shelf);
        }
    }

    private static <IN> void answer(boolean answers,
            KeyedBroadcastProcessFunction<String, IN, RuleUpdate, AlertEvent>.Context ctx, AlertCommand command,
            String status, String reason) {
        if (!answers) {
            return;
        }
        if (AlertCommand.REJECTED.equals(status)) {
            LOG.warn("Alert command {} {} rejected: {}", command.op(), command.rule(), reason);
        } else {
            LOG.info("Alert command {} {}{} {}", command.op(), command.rule(),
                    command.sensor() == null ? "" : " " + command.sensor(), status);
        }
        ctx.output(RuleBook.STATUS, command.answer(status, reason).toString());
    }
}
