package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.windrose.alert.RuleBook;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import io.windrose.config.MovedKey;
import io.windrose.cli.CheckCommand;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example a user copies from README.md, docs/ and deploy/ works: each ```yaml block is one YAML document and a
 * pipeline file (or a part of one, loaded over a one-route base) that {@code windrose check} accepts; each ```yaml rule block passes the rule validator the job applies to runtime rules; each
 * ```yaml other block (Kubernetes, Grafana) is one YAML document; every pipeline key the prose names exists. A broken
 * example fails naming its file and line.
 */
class DocsExamplesTest {
    private static final YAMLMapper YAML = ConfigFileLoader.mapper();
    /** The base a part of a pipeline file is loaded over. */
    private static final String BASE = """
            routes:
              - name: sensors
                topic-template: sensors/{site}/{sensor}
            """;
    private static final Pattern MISSING_FILE = Pattern.compile("'(/[^']+)' does not exist");
    private static final Pattern KEY = Pattern.compile(
            "`((?:job|mqtt|routes|decode|event-time|dedup|window|rules|runtime-rules|actions|sinks)(?:\\.|\\[)[^`\\s:=,]*)[^`]*`");

    @TempDir
    Path dir;

    @Test
    void everyYamlBlockLoads() {
        List<String> failures = new ArrayList<>();
        int pipelines = 0;
        int rules = 0;
        for (UserDocs.Block block : UserDocs.blocks()) {
            if (!block.language().equals("yaml")) {
                continue;
            }
            try {
                JsonNode tree = oneDocument(block);
                switch (block.kind()) {
                    case "" -> {
                        pipeline(block, tree);
                        pipelines++;
                    }
                    case "rule" -> {
                        rules += rules(tree);
                    }
                    case "other" -> { }
                    default -> throw new AssertionError("unknown kind '" + block.kind()
                            + "' after ```yaml: expected nothing (a pipeline file or a part of one), rule or other");
                }
            } catch (ConfigException | AssertionError | IOException e) {
                failures.add(block.where() + ": " + e.getMessage());
            }
        }
        assertThat(failures).as("yaml blocks that do not load").isEmpty();
        assertThat(pipelines).as("pipeline blocks found").isGreaterThanOrEqualTo(10);
        assertThat(rules + pipelines).isPositive();
    }

    @Test
    void everyPipelineKeyTheDocsNameExists() throws IOException {
        Set<String> known = knownKeys();
        Set<String> metrics = mqttMetrics();
        List<String> unknown = new ArrayList<>();
        for (Path file : UserDocs.files()) {
            List<String> lines = UserDocs.lines(file);
            boolean fenced = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).trim().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                Matcher m = KEY.matcher(lines.get(i));
                while (!fenced && m.find()) {
                    String key = normalize(m.group(1));
                    if (!exists(known, key) && !metrics.contains(m.group(1))) {
                        unknown.add(UserDocs.ROOT.relativize(file) + ":" + (i + 1) + ": `" + m.group(1) + "`");
                    }
                }
            }
        }
        assertThat(unknown).as("keys named in the docs that the pipeline file does not have").isEmpty();
    }

    @Test
    void aBrokenExampleFailsNamingItsFileAndLine() throws IOException {
        Path page = Files.writeString(dir.resolve("page.md"), """
                # A page

                ```yaml
                window:
                  sise: 10s
                ```

                ```yaml rule
                name: hot
                field: temperature
                abov: 30
                ```

                ```yaml
                window: {size: 10s}
                window: {size: 1m}
                ```
                """);
        List<UserDocs.Block> blocks = UserDocs.blocks(page);
        assertThat(blocks).extracting(UserDocs.Block::line).containsExactly(3, 8, 14);
        Throwable typo = catchFailure(() -> pipeline(blocks.get(0), oneDocument(blocks.get(0))));
        assertThat(typo).hasMessageContaining("key 'window.sise'");
        Throwable rule = catchFailure(() -> rules(oneDocument(blocks.get(1))));
        assertThat(rule).hasMessageContaining("abov");
        Throwable twice = catchFailure(() -> oneDocument(blocks.get(2)));
        assertThat(twice).hasMessageContaining("window");
        assertThat(blocks.get(0).where()).endsWith("page.md:3");
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static Throwable catchFailure(Failing failing) {
        try {
            failing.run();
        } catch (Throwable t) {
            return t;
        }
        throw new AssertionError("expected a failure");
    }

    /** The block as one YAML document; a repeated key or a second document is an error. */
    private static JsonNode oneDocument(UserDocs.Block block) throws IOException {
        if (block.text().lines().anyMatch(line -> line.equals("---"))) {
            throw new AssertionError("more than one YAML document in one block");
        }
        try {
            JsonNode tree = YAML.readTree(block.text());
            if (tree == null || tree.isMissingNode()) {
                throw new AssertionError("an empty block");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new AssertionError("not one valid YAML document: " + e.getOriginalMessage());
        }
    }

    /** Loads a pipeline file (or a part of one over the base) as the job would, with the files it names. */
    private void pipeline(UserDocs.Block block, JsonNode tree) throws IOException {
        if (!tree.isObject()) {
            throw new AssertionError("expected a pipeline file (a mapping of sections); mark other YAML ```yaml rule or"
                    + " ```yaml other");
        }
        ObjectNode file = (ObjectNode) YAML.readTree(BASE);
        tree.fields().forEachRemaining(section -> file.set(section.getKey(), section.getValue()));
        Path work = Files.createTempDirectory(dir, "block");
        String text = YAML.writeValueAsString(file);
        for (int attempt = 0; ; attempt++) {
            Path pipeline = Files.writeString(work.resolve("pipeline.yaml"), text);
            try {
                // as `windrose check` does: the loader, then what the job builds from the file before it starts
                CheckCommand.check(new PipelineConfigLoader(name -> "example-" + name).load(pipeline, List.of()),
                        pipeline.toString());
                return;
            } catch (ConfigException e) {
                Matcher missing = MISSING_FILE.matcher(e.getMessage());
                if (attempt > 10 || !missing.find()) {
                    throw e;
                }
                // a file the example names: the repository's own where it has one, else an empty one
                Path absent = Path.of(missing.group(1));
                Path stand = absent.startsWith(work) ? absent : work.resolve("root" + absent);
                text = text.replace(absent.toString(), stand.toString());
                Files.createDirectories(stand.getParent());
                Path ours = repositoryFile(work.relativize(absent.startsWith(work) ? absent : stand));
                if (ours != null) {
                    Files.copy(ours, stand);
                } else {
                    Files.writeString(stand, "");
                }
            }
        }
    }

    private static Path repositoryFile(Path relative) {
        for (Path base : List.of(UserDocs.ROOT.resolve("local-cluster/examples"), UserDocs.ROOT.resolve("local-cluster"),
                UserDocs.ROOT)) {
            Path candidate = base.resolve(relative.toString());
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Checks each rule of a rule file as the job checks a rule sent at runtime; returns how many. */
    private static int rules(JsonNode tree) throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        if (tree.isArray()) {
            tree.forEach(rules::add);
        } else {
            rules.add(tree);
        }
        for (JsonNode rule : rules) {
            JsonNode name = rule.get("name");
            if (!rule.isObject() || name == null || !name.isTextual()) {
                throw new AssertionError("expected a rule (a mapping with a name) or a list of them");
            }
            RuleBook.check(new RuleUpdate(name.asText(), YAML.writeValueAsString(rule), -1L, null));
        }
        return rules.size();
    }

    /** The MQTT source's metrics (mqtt.connected, ...), which share the mqtt prefix with the keys. */
    private static Set<String> mqttMetrics() throws IOException {
        Set<String> metrics = new TreeSet<>();
        for (String source : List.of("source/reader/MqttReaderMetrics.java", "source/reader/MqttSourceReader.java",
                "source/reader/MqttSplitReader.java", "table/MqttRowDataDeserializationSchema.java")) {
            Path file = UserDocs.ROOT.resolve("flink-connector-mqtt/src/main/java/io/windrose/flink/connector/mqtt/" + source);
            Matcher m = Pattern.compile("(?:counter|gauge|histogram|meter)\\(\"([A-Za-z]+)\"").matcher(Files.readString(file));
            while (m.find()) {
                metrics.add("mqtt." + m.group(1));
            }
        }
        assertThat(metrics).as("the MQTT source's metrics").contains("mqtt.connected", "mqtt.stalled");
        return metrics;
    }

    /**
     * Every key of a pipeline file whose every optional part is present, and the keys that moved (which the loader
     * refuses naming their new place, and an upgrade note names).
     */
    private static Set<String> knownKeys() throws IOException {
        PipelineConfig full = YAML.readValue("""
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - name: too-hot
                    field: temperature
                    above: 30
                    flapping: {history: 20, high: 0.5, low: 0.25}
                    actions:
                      - mqtt: {topic: 'devices/{sensor}/fan/set', raised: 'ON'}
                      - webhook: {url: 'https://example.com/hook'}
                """, PipelineConfig.class);
        Set<String> keys = keys(YAML.valueToTree(full), "");
        for (MovedKey moved : PipelineConfig.class.getAnnotationsByType(MovedKey.class)) {
            keys.add(moved.from());
        }
        return keys;
    }

    private static TreeSet<String> keys(JsonNode node, String path) {
        TreeSet<String> keys = new TreeSet<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                keys.add(key);
                keys.addAll(keys(field.getValue(), key));
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                keys.addAll(keys(item, path + "[]"));
            }
        }
        return keys;
    }

    /** routes.0.name, routes[0].name → routes[].name; a trailing dot or bracket dropped. */
    private static String normalize(String key) {
        return key.replaceAll("\\[\\d*]", "[]").replaceAll("\\.(\\d+)(?=\\.|$)", "[]").replaceAll("\\.\\*$", "")
                .replaceAll("[.\\[]+$", "");
    }

    /** The key, or a key below a mapping of the user's own names (flink-config, properties, rename, where, levels). */
    private static boolean exists(Set<String> known, String key) {
        if (known.contains(key)) {
            return true;
        }
        for (String map : List.of("job.flink-config", "sinks.kafka.properties", "routes[].fields.rename", "rules[].where",
                "rules[].above", "rules[].below", "rules[].reset")) {
            if (key.startsWith(map + ".") || key.startsWith(map + "[")) {
                return true;
            }
        }
        return false;
    }
}
