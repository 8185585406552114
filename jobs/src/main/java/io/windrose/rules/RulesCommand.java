package io.windrose.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.alert.RuleBook;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.sink.KafkaSinkConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code windrose rules put FILE | delete NAME | list}: changes the rules of a running job through its rules topic and
 * waits for the job's answer on the status topic. A rule is checked here first, as the job checks it.
 */
public final class RulesCommand {
    static final String USAGE = """
            usage: windrose rules put FILE      rules from a YAML or JSON file (one rule or a list); waits for the job's answer
                   windrose rules delete NAME   deletes a rule (also one of the pipeline file)
                   windrose rules list          the rules the job has in effect
            options: --config pipeline.yaml (Kafka from its sinks.kafka section) | --bootstrap-servers HOST:PORT
                     (default 127.0.0.1:9092, the local stack), --timeout 60s
            Exit codes: 0 accepted, 1 rejected by the job, 2 a bad rule or bad arguments, 3 no answer in time.""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RulesCommand() {}

    /** Runs the command; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        KafkaSinkConfig kafka = new KafkaSinkConfig();
        Duration timeout = Duration.ofSeconds(60);
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--config" -> kafka = new PipelineConfigLoader().load(Path.of(args.get(++i)), List.of()).sinks.kafka;
                    case "--bootstrap-servers" -> kafka.bootstrapServers = args.get(++i);
                    case "--timeout" -> timeout = io.windrose.config.Durations.parse(args.get(++i));
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> rest.add(args.get(i));
                }
            }
        } catch (ConfigException e) {
            err.println("windrose: configuration error in " + e.getMessage());
            return 2;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println(USAGE);
            return 2;
        }
        if (kafka.rulesTopic == null) {
            err.println("windrose: runtime rules are off (sinks.kafka.rules-topic is null)");
            return 2;
        }
        if (rest.size() == 2 && rest.get(0).equals("put")) {
            return put(Path.of(rest.get(1)), kafka, timeout, out, err);
        }
        if (rest.size() == 2 && rest.get(0).equals("delete")) {
            return send(List.of(new RuleUpdate(rest.get(1), null, -1L)), kafka, timeout, out, err);
        }
        if (rest.size() == 1 && rest.get(0).equals("list")) {
            return list(kafka, out, err);
        }
        err.println(USAGE);
        return 2;
    }

    private static int put(Path file, KafkaSinkConfig kafka, Duration timeout, PrintStream out, PrintStream err) {
        List<RuleUpdate> updates = new ArrayList<>();
        try {
            JsonNode tree = ConfigFileLoader.mapper().readTree(Files.readString(file));
            for (JsonNode rule : tree != null && tree.isArray() ? tree : List.of(tree == null ? JSON.nullNode() : tree)) {
                JsonNode name = rule.get("name");
                if (!rule.isObject() || name == null || !name.isTextual()) {
                    err.println("windrose: rule error in " + file + ": expected a rule (a mapping with a name) or a list of them");
                    return 2;
                }
                RuleUpdate update = new RuleUpdate(name.asText(), JSON.writeValueAsString(rule), -1L);
                RuleBook.check(update); // as the job checks it: a bad rule never reaches the topic
                updates.add(update);
            }
        } catch (ConfigException e) {
            err.println("windrose: rule error in " + file + ": " + e.getMessage());
            return 2;
        } catch (NoSuchFileException e) {
            err.println("windrose: " + file + ": file not found");
            return 2;
        } catch (IOException e) {
            err.println("windrose: " + file + ": not valid YAML or JSON: " + e.getMessage());
            return 2;
        }
        return send(updates, kafka, timeout, out, err);
    }

    /** Writes the updates to the rules topic and waits for the job's status of each. */
    private static int send(List<RuleUpdate> updates, KafkaSinkConfig kafka, Duration timeout, PrintStream out,
            PrintStream err) {
        TopicPartition status = new TopicPartition(kafka.rulesStatusTopic, 0);
        try (KafkaConsumer<String, String> consumer = consumer(kafka);
                KafkaProducer<String, String> producer = producer(kafka)) {
            consumer.assign(List.of(status));
            consumer.seekToEnd(List.of(status));
            consumer.position(status); // from here on: answers to what is sent now
            Map<String, Long> waiting = new LinkedHashMap<>();
            for (RuleUpdate update : updates) {
                long offset = producer.send(new ProducerRecord<>(kafka.rulesTopic, update.getName(), update.getJson()))
                        .get().offset();
                waiting.put(update.getName(), offset);
            }
            int exit = 0;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode answer = JSON.readTree(record.value());
                    String rule = answer.path("rule").asText();
                    Long offset = waiting.get(rule);
                    if (offset == null || answer.path("offset").asLong() != offset) {
                        continue;
                    }
                    waiting.remove(rule);
                    String outcome = answer.path("status").asText();
                    if (outcome.equals("rejected")) {
                        exit = 1;
                        err.println("rejected: " + rule + ": " + answer.path("reason").asText());
                    } else {
                        out.println(outcome + ": " + rule);
                    }
                }
            }
            if (!waiting.isEmpty()) {
                err.println("windrose: no answer from the job for " + waiting.keySet() + " within " + timeout.toSeconds()
                        + " s: is it running, with sinks.kafka.rules-topic " + kafka.rulesTopic + "?");
                return 3;
            }
            return exit;
        } catch (Exception e) {
            err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
            return 3;
        }
    }

    /** The rules in effect, from the job's latest status record. */
    private static int list(KafkaSinkConfig kafka, PrintStream out, PrintStream err) {
        TopicPartition status = new TopicPartition(kafka.rulesStatusTopic, 0);
        try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
            consumer.assign(List.of(status));
            long end = consumer.endOffsets(List.of(status)).get(status);
            if (end == 0) {
                err.println("windrose: the job has not answered a rule update yet; its rules are the pipeline file's");
                return 3;
            }
            consumer.seek(status, end - 1);
            String last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (last == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    last = record.value();
                }
            }
            if (last == null) {
                err.println("windrose: cannot read " + kafka.rulesStatusTopic);
                return 3;
            }
            JsonNode effective = JSON.readTree(last).path("effective");
            out.print(ConfigFileLoader.mapper().writeValueAsString(List.copyOf(toList(effective))));
            return 0;
        } catch (Exception e) {
            err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
            return 3;
        }
    }

    private static List<JsonNode> toList(JsonNode effective) {
        List<JsonNode> rules = new ArrayList<>();
        effective.forEach(rules::add);
        return rules;
    }

    private static KafkaConsumer<String, String> consumer(KafkaSinkConfig kafka) {
        Properties properties = properties(kafka);
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", StringDeserializer.class.getName());
        properties.put("enable.auto.commit", "false");
        properties.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(properties);
    }

    private static KafkaProducer<String, String> producer(KafkaSinkConfig kafka) {
        Properties properties = properties(kafka);
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        properties.put("acks", "all");
        return new KafkaProducer<>(properties);
    }

    private static Properties properties(KafkaSinkConfig kafka) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.put("bootstrap.servers", kafka.bootstrapServers);
        return properties;
    }
}
