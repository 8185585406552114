package io.windrose.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.alert.AlertRule;
import io.windrose.alert.ExpectedSensors;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleConfig;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import io.windrose.config.ConfigSection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The candidate rules of {@code windrose backtest --rules FILE}: one rule (a mapping with a {@code name}), a list of
 * rules, or a pipeline-style mapping with a {@code rules:} list (of which only the rules are read: a copy of the
 * pipeline file with its rules changed will do). Each rule is bound and checked as the pipeline file's rules are:
 * {@code ${ENV}} references, strict keys, relative {@code expected} files against the rules file's directory, each
 * rule's validation, unique names, the compiled rule and its expected-sensors file.
 */
public final class CandidateRules {
    private static final String SHAPES = "expected one rule (a mapping with a name), a list of rules, or a mapping"
            + " with a rules: list";

    /**
     * What the file holds: its rules, the key of each in the file ({@code ""} for a file of one rule, {@code [1]} in a
     * list, {@code rules[1]} in a pipeline-style file), and the top-level keys of a pipeline-style file not read.
     */
    public record Read(List<RuleConfig> rules, List<String> keys, List<String> ignoredKeys) {}

    /** The pipeline-style shape as it is bound: the {@code rules} list alone. */
    public static final class RulesOnly implements ConfigSection {
        public List<RuleConfig> rules = new ArrayList<>();

        @Override
        public void validate(ConfigCheck check) {
            check.each("rules", rules);
        }
    }

    private CandidateRules() {}

    /** Reads and checks the rules of {@code file}; throws {@link ConfigException} naming the file and the key. */
    public static Read read(Path file) {
        return read(file, System::getenv);
    }

    static Read read(Path file, Function<String, String> environment) {
        ConfigFileLoader loader = new ConfigFileLoader(environment);
        String name = file.toString();
        JsonNode tree = loader.read(file);
        ConfigCheck check = new ConfigCheck(name);
        List<RuleConfig> rules;
        String prefix;
        List<String> ignored = new ArrayList<>();
        if (tree.isMissingNode()) {
            throw new ConfigException(name, null, SHAPES + "; the file is empty");
        } else if (tree.isObject() && tree.has("name")) {
            RuleConfig rule = loader.bind(file, tree, RuleConfig.class);
            rule.validate(check);
            rules = List.of(rule);
            prefix = "";
        } else if (tree.isArray()) {
            require(tree.size() > 0, name, "", "expected at least one rule, got an empty list");
            checkItems(name, (ArrayNode) tree, "");
            rules = Arrays.asList(loader.bind(file, tree, RuleConfig[].class));
            check.each("", rules);
            prefix = "";
        } else if (tree.isObject() && tree.has("rules")) {
            JsonNode list = tree.get("rules");
            require(list.isArray() && list.size() > 0, name, "rules", "expected a list of at least one rule");
            checkItems(name, (ArrayNode) list, "rules");
            ObjectNode only = ConfigFileLoader.mapper().createObjectNode();
            only.set("rules", list);
            Iterator<String> keys = tree.fieldNames();
            keys.forEachRemaining(key -> {
                if (!key.equals("rules")) {
                    ignored.add(key);
                }
            });
            RulesOnly bound = loader.bind(file, only, RulesOnly.class);
            bound.validate(check);
            rules = bound.rules;
            prefix = "rules";
        } else {
            throw new ConfigException(name, null, SHAPES + ", got " + describe(tree));
        }
        List<String> keys = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            keys.add(tree.isObject() && prefix.isEmpty() ? "" : item(prefix, i));
            require(names.add(rules.get(i).name), name, keys.get(i) + ".name", "rule name '" + rules.get(i).name
                    + "' is used twice");
        }
        return new Read(List.copyOf(rules), List.copyOf(keys), List.copyOf(ignored));
    }

    /**
     * The candidate rule book, each rule compiled as the job compiles it (its expected-sensors file read).
     *
     * @param defaultMeasurement the pipeline's first route's measurement, as the job gives its rule book
     */
    public static RuleBook book(Path file, Read read, String defaultMeasurement) {
        ConfigCheck check = new ConfigCheck(file.toString());
        List<RuleConfig> rules = read.rules();
        for (int i = 0; i < rules.size(); i++) {
            RuleConfig rule = rules.get(i);
            String key = read.keys().get(i);
            AlertRule compiled = check.parse(key, () -> rule.compile(defaultMeasurement));
            try {
                ExpectedSensors.read(compiled);
            } catch (IOException e) {
                throw check.error(key.isEmpty() ? "expected" : key + ".expected", "cannot read the expected sensors from '"
                        + rule.expected + "': " + e);
            }
        }
        return new RuleBook(rules, defaultMeasurement);
    }

    /** The candidate rule book of {@code file}: {@link #read}, then {@link #book}. */
    public static RuleBook of(Path file, String defaultMeasurement) {
        return book(file, read(file), defaultMeasurement);
    }

    /** Each item must be a rule mapping: say which one is not before binding says something vaguer. */
    private static void checkItems(String file, ArrayNode items, String prefix) {
        for (int i = 0; i < items.size(); i++) {
            require(items.get(i).isObject(), file, item(prefix, i), "expected a rule (a mapping with a name), got "
                    + describe(items.get(i)));
        }
    }

    private static String item(String prefix, int i) {
        return prefix + "[" + i + "]";
    }

    private static String describe(JsonNode node) {
        return node.isObject() ? "a mapping without name or rules" : node.isArray() ? "a list"
                : node.isNull() ? "null" : "'" + node.asText() + "'";
    }

    private static void require(boolean ok, String file, String key, String expected) {
        if (!ok) {
            throw new ConfigException(file, key, expected);
        }
    }
}
