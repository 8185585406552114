package io.windrose.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleUpdates;
import io.windrose.alert.RuntimeRulesConfig;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.cli.Cli;
import io.windrose.cli.DurationConverter;
import io.windrose.cli.KafkaOptions;
import io.windrose.cli.VersionProvider;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.sink.KafkaSinkConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code windrose rules put FILE | delete NAME | list}: changes the rules of a running job through its rules topic and
 * waits for the job's answer on the status topic. A rule is checked here first, as the job checks it.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, commandListHeading = "%nCommands:%n",
        subcommands = {RulesCommand.Put.class, RulesCommand.Delete.class, RulesCommand.ListRules.class},
        description = {
            "Changes the alert rules of a running job, without a restart.",
            "Sends rules through the job's rules topic (runtime-rules.topic) and waits for its answer on the status"
                    + " topic (runtime-rules.status-topic). A rule is checked here first, as the job checks it.",
            "",
            "  windrose rules put too-humid.yaml",
            "  windrose rules delete too-humid",
            "  windrose rules list --config pipeline.yaml",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:accepted, deleted or listed", "1:rejected by the job",
            "2:a bad rule, a usage or a configuration error", "3:no answer in time (is the job running?)"})
public final class RulesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Records read back at first when looking for the newest with {@code effective}; eight times more each time. */
    private static final int LOOK_BACK = 64;
    /** Rules as a user writes them: quotes only where YAML needs them ('ON', "30" stay strings), no document marker. */
    private static final YAMLMapper RULES_YAML = YAMLMapper.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES, YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafkaOptions;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, scope = ScopeType.INHERIT,
            description = "How long to wait for the job's answer (default 60s).")
    Duration timeout;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: put FILE, delete NAME or list");
    }

    /**
     * Kafka and the runtime rules' topics (of --config, else the defaults); null after printing why when runtime rules
     * are off.
     */
    PipelineConfig topics(PrintWriter err) {
        PipelineConfig config = kafkaOptions.pipeline();
        String off = RuleUpdates.off(config.sinks.kafka, config.runtimeRules);
        if (off != null) {
            err.println("windrose: runtime rules are off (" + off + ")");
            return null;
        }
        return config;
    }

    Duration timeout() {
        return timeout == null ? Duration.ofSeconds(60) : timeout;
    }

    @Command(name = "put", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Adds or replaces rules, from a YAML or JSON file.",
                "The file holds one rule or a list of them. A rule replaces the one of the same name, also one of the"
                        + " pipeline file. Waits for the job to accept each."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:accepted", "1:rejected by the job", "2:a bad rule, a usage or a configuration error",
                "3:no answer in time"})
    static final class Put implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        RulesCommand rules;
        @Parameters(paramLabel = "FILE", description = "The rule file.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PipelineConfig config = rules.topics(err);
            return config == null ? Cli.USAGE
                    : put(file, config.sinks.kafka, config.runtimeRules, rules.timeout(), out, err);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Deletes a rule, also one of the pipeline file.", "Waits for the job's answer."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:deleted", "2:a usage or a configuration error", "3:no answer in time"})
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        RulesCommand rules;
        @Parameters(paramLabel = "NAME", description = "The rule's name.")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PipelineConfig config = rules.topics(err);
            return config == null ? Cli.USAGE : send(List.of(new RuleUpdate(name, null, -1L, null)), config.sinks.kafka,
                    config.runtimeRules, rules.timeout(), out, err);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Prints the rules the job has in effect.",
                "As YAML: the pipeline file's rules, as changed at runtime."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:listed", "2:a usage or a configuration error",
                "3:no answer: the job has not announced its rules (yet), or Kafka cannot be read"})
    static final class ListRules implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        RulesCommand rules;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            PipelineConfig config = rules.topics(err);
            return config == null ? Cli.USAGE
                    : list(config.sinks.kafka, config.runtimeRules, rules.timeout(), out, err);
        }
    }

    private static int put(Path file, KafkaSinkConfig kafka, RuntimeRulesConfig topics, Duration timeout,
            PrintWriter out, PrintWriter err) {
        List<RuleUpdate> updates = new ArrayList<>();
        try {
            JsonNode tree = ConfigFileLoader.mapper().readTree(Files.readString(file));
            for (JsonNode rule : tree != null && tree.isArray() ? tree : List.of(tree == null ? JSON.nullNode() : tree)) {
                JsonNode name = rule.get("name");
                if (!rule.isObject() || name == null || !name.isTextual()) {
                    err.println("windrose: rule error in " + file + ": expected a rule (a mapping with a name) or a list of them");
                    return Cli.USAGE;
                }
                RuleUpdate update = new RuleUpdate(name.asText(), JSON.writeValueAsString(rule), -1L, null);
                RuleBook.check(update); // as the job checks it: a bad rule never reaches the topic
                updates.add(update);
            }
        } catch (ConfigException e) {
            err.println("windrose: rule error in " + file + ": " + e.getMessage());
            return Cli.USAGE;
        } catch (NoSuchFileException e) {
            err.println("windrose: " + file + ": file not found");
            return Cli.USAGE;
        } catch (IOException e) {
            err.println("windrose: " + file + ": not valid YAML or JSON: " + e.getMessage());
            return Cli.USAGE;
        }
        return send(updates, kafka, topics, timeout, out, err);
    }

    /** Writes the updates to the rules topic and waits for the job's status of each. */
    private static int send(List<RuleUpdate> updates, KafkaSinkConfig kafka, RuntimeRulesConfig topics,
            Duration timeout, PrintWriter out, PrintWriter err) {
        TopicPartition status = new TopicPartition(topics.statusTopic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(kafka);
                KafkaProducer<String, String> producer = KafkaClients.producer(kafka)) {
            consumer.assign(List.of(status));
            consumer.seekToEnd(List.of(status));
            consumer.position(status); // from here on: answers to what is sent now
            Map<String, Long> waiting = new LinkedHashMap<>();
            for (RuleUpdate update : updates) {
                long offset = producer.send(new ProducerRecord<>(topics.topic, update.getName(), update.getJson()))
                        .get().offset();
                waiting.put(update.getName(), offset);
            }
            int exit = Cli.OK;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode answer = JSON.readTree(record.value());
                    if (!isRuleStatus(answer)) {
                        continue; // an answer to an alert command (windrose alerts), which shares the status topic
                    }
                    String rule = answer.path("rule").asText();
                    Long offset = waiting.get(rule);
                    if (offset == null || answer.path("offset").asLong() != offset) {
                        continue;
                    }
                    waiting.remove(rule);
                    String outcome = answer.path("status").asText();
                    if (outcome.equals("rejected")) {
                        exit = Cli.FAILED;
                        err.println("rejected: " + rule + ": " + answer.path("reason").asText());
                    } else {
                        out.println(outcome + ": " + rule);
                    }
                }
            }
            if (!waiting.isEmpty()) {
                err.println("windrose: no answer from the job for " + waiting.keySet() + " within " + timeout.toSeconds()
                        + " s: is it running, with runtime-rules.topic " + topics.topic + "?");
                return Cli.NO_ANSWER;
            }
            return exit;
        } catch (Exception e) {
            err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
            return Cli.NO_ANSWER;
        }
    }

    /** The rules in effect, from the job's latest status record. */
    private static int list(KafkaSinkConfig kafka, RuntimeRulesConfig topics, Duration timeout, PrintWriter out,
            PrintWriter err) {
        try {
            JsonNode effective = effective(kafka, topics, timeout);
            if (effective == null) {
                err.println("windrose: no word from the job on " + topics.statusTopic + " within " + timeout.toSeconds()
                        + " s: is it running, with runtime-rules.topic " + topics.topic + "?");
                return Cli.NO_ANSWER;
            }
            out.print(RULES_YAML.writeValueAsString(List.copyOf(toList(effective))));
            out.flush();
            return Cli.OK;
        } catch (Exception e) {
            err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
            return Cli.NO_ANSWER;
        }
    }

    /**
     * The rules a job has in effect, as its newest record on {@code runtime-rules.status-topic} that says so: its
     * {@code effective} object, rule name to the rule's JSON; null when no such record came within {@code timeout}.
     * Answers to alert commands share the topic and are passed over.
     *
     * @throws Exception when Kafka cannot be read, or a record is not JSON
     */
    public static JsonNode effective(KafkaSinkConfig kafka, RuntimeRulesConfig topics, Duration timeout)
            throws Exception {
        TopicPartition status = new TopicPartition(topics.statusTopic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(kafka)) {
            consumer.assign(List.of(status));
            // the job writes a record with effective when it starts and after each rule update; answers to alert
            // commands come between them: look back over ever more records, down to the first if need be
            long end = consumer.endOffsets(List.of(status)).get(status);
            long deadline = System.nanoTime() + timeout.toNanos();
            long from = end;
            for (long back = LOOK_BACK; from > 0; back *= 8) {
                long until = from;
                from = Math.max(0, end - back);
                consumer.seek(status, from);
                JsonNode effective = null;
                while (consumer.position(status) < until && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < until) {
                            JsonNode found = effectiveOf(record.value());
                            effective = found == null ? effective : found;
                        }
                    }
                }
                if (effective != null || System.nanoTime() >= deadline) {
                    return effective; // null when the time ran out before the records were read back
                }
            }
            // none yet: a job just started may not have written its first
            consumer.seek(status, end);
            while (System.nanoTime() < deadline) {
                JsonNode effective = null;
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode found = effectiveOf(record.value());
                    effective = found == null ? effective : found;
                }
                if (effective != null) {
                    return effective;
                }
            }
            return null;
        }
    }

    /** Whether a status record is about a rule update (not an answer to an alert command, which has a command). */
    static boolean isRuleStatus(JsonNode record) {
        return record.isObject() && !record.has("command");
    }

    /** The {@code effective} of a rule update's status record; null for other records. */
    private static JsonNode effectiveOf(String value) throws IOException {
        if (value == null) {
            return null;
        }
        JsonNode record = JSON.readTree(value);
        JsonNode effective = record == null || !isRuleStatus(record) ? null : record.get("effective");
        return effective != null && effective.isObject() ? effective : null;
    }

    private static List<JsonNode> toList(JsonNode effective) {
        List<JsonNode> rules = new ArrayList<>();
        effective.forEach(rules::add);
        return rules;
    }
}
