package io.windrose.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleConfig;
import io.windrose.alert.RuleUpdates;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.rules.RulesCommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in effect, as the live job has them: the pipeline file's rules, and when runtime rules are on
 * ({@code runtime-rules.topic}), what the job's newest record on {@code runtime-rules.status-topic} says is in
 * effect — the file's rules as changed and deleted at runtime. Without such a record (no job has run) the file's.
 */
public final class EffectiveRules {
    /** How long to wait for the status topic's newest record (there is one when a job has run: it comes at once). */
    static final Duration STATUS_WAIT = Duration.ofSeconds(5);

    /** The rules in effect: the book the job would build, their configurations by name, and where they came from. */
    public record Effective(RuleBook book, Map<String, RuleConfig> rules, String source) {}

    private EffectiveRules() {}

    /**
     * Reads the job's status topic when runtime rules are on; says on {@code err} which rules are used.
     *
     * @throws Exception when Kafka cannot be read
     */
    public static Effective of(PipelineConfig config, String defaultMeasurement, String command, PrintWriter err)
            throws Exception {
        Effective effective;
        String off = RuleUpdates.off(config.sinks.kafka, config.runtimeRules);
        if (off != null) {
            effective = of(config.rules, null, defaultMeasurement,
                    "the pipeline file's (runtime rules are off: " + off + ")");
        } else {
            JsonNode status = RulesCommand.effective(config.sinks.kafka, config.runtimeRules, STATUS_WAIT);
            effective = status == null
                    ? of(config.rules, null, defaultMeasurement, "the pipeline file's: no job has said which rules it"
                            + " has in effect on " + config.runtimeRules.statusTopic + " (has one run?)")
                    : of(config.rules, status, defaultMeasurement, "the job's, as its newest record on "
                            + config.runtimeRules.statusTopic + " says (the pipeline file's, as changed at runtime)");
        }
        err.println(command + ": rules in effect: " + effective.source() + ": " + effective.rules().keySet());
        err.flush();
        return effective;
    }

    /**
     * The file's rules overridden by a status record's {@code effective} object (name to rule JSON): a file rule
     * missing from it was deleted at runtime; a rule this version does not accept keeps the file's of that name, as in
     * the job.
     *
     * @param status the {@code effective} object, or null for the file's rules alone
     */
    static Effective of(List<RuleConfig> fileRules, JsonNode status, String defaultMeasurement, String source) {
        Map<String, RuleConfig> rules = new LinkedHashMap<>();
        fileRules.forEach(rule -> rules.put(rule.name, rule));
        if (status != null) {
            for (RuleConfig rule : fileRules) {
                if (!status.has(rule.name)) {
                    rules.remove(rule.name);
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = status.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                try {
                    rules.put(field.getKey(), RuleBook.check(new RuleUpdate(field.getKey(), field.getValue().toString(),
                            -1L, null)));
                } catch (ConfigException e) {
                    // as RuleBook.effective: the file's rule of that name stays, if any
                }
            }
        }
        // the rules in effect as the seeds of a book: what the job's book gives for the same topic entries, as one
        // list, since the backtest hands each rule set over as one RuleBook
        return new Effective(new RuleBook(List.copyOf(rules.values()), defaultMeasurement), rules, source);
    }
}
