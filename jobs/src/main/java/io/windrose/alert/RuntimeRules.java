package io.windrose.alert;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.flink.api.common.state.BroadcastState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in effect in a live alert operator ({@link ReadingAlertFunction}, {@link WindowAlertFunction}): the rule
 * book's, given what the rules topic said so far (the broadcast state {@link RuleBook#TOPIC}), compiled once and again
 * after each update; and the one place where an update is checked and applied to that state.
 *
 * @param <T> the operator's view of the rules (e.g. by kind, or its input's only)
 */
final class RuntimeRules<T> {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeRules.class);

    private final RuleBook book;
    private final Function<List<AlertRule>, T> view;
    private List<AlertRule> all;
    private T current;

    RuntimeRules(RuleBook book, Function<List<AlertRule>, T> view) {
        this.book = book;
        this.view = view;
    }

    /** The operator's view of the rules in effect, given the rules topic's broadcast state. */
    T get(Iterable<Map.Entry<String, String>> topic) {
        if (all == null) {
            all = book.effective(topic);
            current = view.apply(all);
        }
        return current;
    }

    /**
     * Applies {@code update} to the rules topic's broadcast state: the rule put (once checked) or deleted, the rules in
     * effect compiled again. Null for the placeholder of an empty rules stream (runtime rules off).
     */
    Change apply(RuleUpdate update, BroadcastState<String, String> topic) throws Exception {
        if (update.getName().isEmpty()) {
            return null;
        }
        get(topic.immutableEntries());
        AlertRule before = named(update.getName());
        String status;
        String reason = null;
        try {
            if (update.getJson() == null) {
                topic.put(update.getName(), RuleBook.DELETED);
                status = "deleted";
            } else {
                book.checkInPipeline(update, RuleBook.check(update));
                topic.put(update.getName(), update.getJson());
                status = "accepted";
            }
        } catch (ConfigException e) {
            return new Change(update, "rejected", e.getMessage(), before, before);
        }
        all = null;
        get(topic.immutableEntries());
        return new Change(update, status, reason, before, named(update.getName()));
    }

    /** The rule of that name in effect, or null. */
    AlertRule rule(String name, Iterable<Map.Entry<String, String>> topic) {
        get(topic);
        return named(name);
    }

    private AlertRule named(String name) {
        return all.stream().filter(rule -> rule.name.equals(name)).findFirst().orElse(null);
    }

    /** What an update did: accepted / deleted / rejected (with the reason), the rule of its name before and after. */
    record Change(RuleUpdate update, String status, String reason, AlertRule before, AlertRule after) {
        boolean rejected() {
            return "rejected".equals(status);
        }

        /**
         * Whether the rule before is gone, or replaced by one of another kind, field or input: its state no longer
         * means anything, its raised alerts are to be cleared.
         */
        boolean retires() {
            return !rejected() && before != null && (after == null || before.kind != after.kind
                    || !Objects.equals(before.field, after.field) || before.input != after.input);
        }

        void log() {
            if (rejected()) {
                LOG.warn("Rule {} from the rules topic rejected (offset {}): {}", update.getName(), update.getOffset(),
                        reason);
            } else {
                LOG.info("Rule {} {} from the rules topic (offset {})", update.getName(), status, update.getOffset());
            }
        }
    }
}
