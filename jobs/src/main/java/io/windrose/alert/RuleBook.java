package io.windrose.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in effect: the pipeline file's rules, overridden by name by what the rules topic says (a rule, or a
 * tombstone that deletes it, even one of the file). Each update is bound and checked as the pipeline file is.
 */
public final class RuleBook implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RuleBook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a tombstone is kept as in broadcast state (which cannot hold null). */
    public static final String DELETED = "";
    /** The broadcast state of the rules topic: rule name to its JSON, or {@link #DELETED}. */
    public static final MapStateDescriptor<String, String> TOPIC = new MapStateDescriptor<>("runtime-rules", Types.STRING,
            Types.STRING);
    /** The outcome of each update, as JSON for the rules status topic. */
    public static final OutputTag<String> STATUS = new OutputTag<>("rule-status", Types.STRING);

    private final Map<String, RuleConfig> seeds = new LinkedHashMap<>();
    private final String defaultMeasurement;
    private final boolean sparkplug;

    /** The status record of an update: its rule, offset, accepted / deleted / rejected (with the reason), what is in effect. */
    public String status(RuleUpdate update, String status, String reason, Iterable<Map.Entry<String, String>> topic) {
        ObjectNode record = JSON.createObjectNode();
        record.put("rule", update.getName());
        record.put("offset", update.getOffset());
        record.put("status", status);
        record.put("reason", reason);
        record.put("at", System.currentTimeMillis());
        ObjectNode effective = record.putObject("effective");
        effectiveJson(topic).forEach(effective::set);
        return record.toString();
    }

    /**
     * The record a job writes when it starts: no update, status {@code started}, the rules in effect (the pipeline
     * file's, with the runtime rules restored from its saved state), so that {@code windrose rules list} answers
     * before anyone has changed a rule.
     */
    public String started(Iterable<Map.Entry<String, String>> topic) {
        ObjectNode record = JSON.createObjectNode();
        record.putNull("rule");
        record.put("offset", -1L);
        record.put("status", "started");
        record.putNull("reason");
        record.put("at", System.currentTimeMillis());
        ObjectNode effective = record.putObject("effective");
        effectiveJson(topic).forEach(effective::set);
        return record.toString();
    }

    public RuleBook(List<RuleConfig> seeds, String defaultMeasurement) {
        this(seeds, defaultMeasurement, false);
    }

    /** @param sparkplug whether the pipeline has a sparkplug-b route (which a rule's sparkplug action needs) */
    public RuleBook(List<RuleConfig> seeds, String defaultMeasurement, boolean sparkplug) {
        seeds.forEach(rule -> this.seeds.put(rule.name, rule));
        this.defaultMeasurement = defaultMeasurement;
        this.sparkplug = sparkplug;
    }

    /**
     * What a rule of the rules topic needs of this pipeline, beyond its own keys: a sparkplug action needs a sparkplug-b
     * route (the pipeline file's rules are checked so at start-up).
     */
    void checkInPipeline(RuleUpdate update, RuleConfig rule) {
        if (!sparkplug && rule.actions.stream().anyMatch(action -> action.sparkplug != null)) {
            throw new ConfigException("rule '" + update.getName() + "' of the rules topic", "actions", "a route with"
                    + " format: sparkplug-b for its sparkplug action (it writes by the alias and datatype of the device's"
                    + " birth, which such a route reads); this pipeline has none");
        }
    }

    /** Checks an update; throws {@link ConfigException} naming the key when the rule is not valid. */
    public static RuleConfig check(RuleUpdate update) {
        String where = "rule '" + update.getName() + "' of the rules topic";
        RuleConfig rule;
        try {
            JsonNode tree = ConfigFileLoader.mapper().readTree(update.getJson());
            rule = new ConfigFileLoader(name -> null).bind(where, tree, RuleConfig.class);
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(where, null, "not valid JSON or YAML: " + e.getMessage());
        }
        rule.validate(new ConfigCheck(where));
        if (!update.getName().equals(rule.name)) {
            throw new ConfigException(where, "name", "expected the record's key, '" + update.getName() + "', got '"
                    + rule.name + "'");
        }
        if (rule.expected != null) {
            throw new ConfigException(where, "expected", "expected-sensor files are read from the pipeline file's rules"
                    + " only");
        }
        return rule;
    }

    /** The rules in effect, given what the topic said so far ({@link #DELETED} for a tombstone). */
    public List<AlertRule> effective(Iterable<Map.Entry<String, String>> topic) {
        Map<String, RuleConfig> rules = new LinkedHashMap<>(seeds);
        for (Map.Entry<String, String> entry : topic) {
            if (DELETED.equals(entry.getValue())) {
                rules.remove(entry.getKey());
            } else {
                try {
                    rules.put(entry.getKey(), check(new RuleUpdate(entry.getKey(), entry.getValue(), -1L, null)));
                } catch (ConfigException e) {
                    // accepted once, refused by this version's checks (e.g. an explicit null an older one skipped):
                    // the job must still start; the rule keeps what the file says of that name, if anything
                    LOG.warn("Runtime rule {} from saved state is not valid in this version, ignored: {}", entry.getKey(),
                            e.getMessage());
                }
            }
        }
        List<AlertRule> compiled = new ArrayList<>();
        rules.values().forEach(rule -> compiled.add(rule.compile(defaultMeasurement)));
        return compiled;
    }

    /** The rules in effect as JSON (what {@code windrose rules list} shows). */
    public Map<String, JsonNode> effectiveJson(Iterable<Map.Entry<String, String>> topic) {
        ObjectMapper mapper = ConfigFileLoader.mapper().copy()
                .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY);
        Map<String, JsonNode> rules = new LinkedHashMap<>();
        seeds.forEach((name, rule) -> rules.put(name, mapper.valueToTree(rule)));
        for (Map.Entry<String, String> entry : topic) {
            if (DELETED.equals(entry.getValue())) {
                rules.remove(entry.getKey());
            } else {
                try {
                    check(new RuleUpdate(entry.getKey(), entry.getValue(), -1L, null));
                    rules.put(entry.getKey(), mapper.readTree(entry.getValue()));
                } catch (Exception e) {
                    // not valid in this version: left out, as effective() leaves it out
                }
            }
        }
        return rules;
    }

}
