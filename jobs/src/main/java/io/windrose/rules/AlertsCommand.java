package io.windrose.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.alert.AlertCommand;
import io.windrose.alert.RuleUpdates;
import io.windrose.alert.RuntimeRulesConfig;
import io.windrose.cli.Cli;
import io.windrose.cli.DurationConverter;
import io.windrose.cli.KafkaOptions;
import io.windrose.cli.VersionProvider;
import io.windrose.config.Durations;
import io.windrose.consume.AvroTopicReader;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.sink.KafkaSinkConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * {@code windrose alerts ack RULE SENSOR | shelve RULE --for DURATION | unshelve RULE | list}: acknowledges and shelves
 * the alerts of a running job through its commands topic, waiting for its answer on the status topic, and lists what is
 * raised now from the alerts topic.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, commandListHeading = "%nCommands:%n",
        subcommands = {AlertsCommand.Ack.class, AlertsCommand.Shelve.class, AlertsCommand.Unshelve.class,
            AlertsCommand.ListAlerts.class},
        description = {
            "Acknowledges, shelves and lists the alerts of a running job.",
            "ack, shelve and unshelve go through the job's commands topic (runtime-rules.commands-topic) and wait for"
                    + " its answer on the status topic (runtime-rules.status-topic); list reads the alerts topic"
                    + " (sinks.kafka.alerts-topic).",
            "",
            "  windrose alerts list",
            "  windrose alerts ack too-hot s-1 --comment 'fan replaced'",
            "  windrose alerts shelve too-hot --sensor s-1 --for 2h",
            "  windrose alerts unshelve too-hot --sensor s-1",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:acknowledged, shelved, unshelved or listed",
            "1:rejected by the job, or no raised alert to acknowledge", "2:a usage or a configuration error",
            "3:no answer in time (is the job running?)"})
public final class AlertsCommand implements Callable<Integer> {
    /** How long an accepted ack waits for more alerts acknowledged (each subtask answers for the alerts it holds). */
    static final Duration ACK_GRACE = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafkaOptions;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, scope = ScopeType.INHERIT,
            description = "How long to wait for the job's answer, or for Kafka (default 60s).")
    Duration timeout;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(),
                "Missing command: ack RULE SENSOR, shelve RULE --for DURATION, unshelve RULE or list");
    }

    Duration timeout() {
        return timeout == null ? Duration.ofSeconds(60) : timeout;
    }

    /**
     * Kafka and the topics of alert commands (of --config, else the defaults); null after printing why when alert
     * commands are off.
     */
    PipelineConfig commands(PrintWriter err) {
        PipelineConfig config = kafkaOptions.pipeline();
        String off = RuleUpdates.off(config.sinks.kafka, config.runtimeRules);
        if (off == null && config.runtimeRules.commandsTopic == null) {
            off = "runtime-rules.commands-topic is null";
        }
        if (off != null) {
            err.println("windrose: alert commands are off (" + off + ")");
            return null;
        }
        return config;
    }

    /** Sends the command, waits for the job's answers and prints them; returns the exit code. */
    int send(AlertCommand command, CommandSpec subcommand) {
        PrintWriter out = subcommand.commandLine().getOut();
        PrintWriter err = subcommand.commandLine().getErr();
        PipelineConfig config = commands(err);
        if (config == null) {
            return Cli.USAGE;
        }
        int exit = send(command, config.sinks.kafka, config.runtimeRules, timeout(), out, err);
        out.flush();
        err.flush();
        return exit;
    }

    private static int send(AlertCommand command, KafkaSinkConfig kafka, RuntimeRulesConfig topics, Duration timeout,
            PrintWriter out, PrintWriter err) {
        TopicPartition status = new TopicPartition(topics.statusTopic, 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(kafka);
                KafkaProducer<String, String> producer = KafkaClients.producer(kafka, timeout)) {
            consumer.assign(List.of(status));
            consumer.seekToEnd(List.of(status));
            consumer.position(status, timeout); // from here on: answers to what is sent now
            producer.send(new ProducerRecord<>(topics.commandsTopic, command.rule(), command.toJson())).get();
            AlertAnswers answers = new AlertAnswers(command);
            long deadline = System.nanoTime() + timeout.toNanos();
            long graceEnd = Long.MAX_VALUE;
            while (true) {
                long now = System.nanoTime();
                if (answers.decided()) {
                    if (!answers.collectsMore()) {
                        break;
                    }
                    graceEnd = graceEnd == Long.MAX_VALUE ? now + ACK_GRACE.toNanos() : graceEnd;
                    if (now >= graceEnd) {
                        break;
                    }
                } else if (now >= deadline) {
                    err.println("windrose: no answer from the job to " + command.op() + " " + command.rule()
                            + " within " + timeout.toSeconds() + " s: is it running, with runtime-rules.commands-topic "
                            + topics.commandsTopic + "?");
                    return Cli.NO_ANSWER;
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    answers.offer(json(record.value()));
                }
            }
            return answers.print(out, err);
        } catch (Exception e) {
            err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
            return Cli.NO_ANSWER;
        }
    }

    /** A record of the status topic as JSON; null when it is not JSON (not an answer to us, whatever it is). */
    private static JsonNode json(String value) {
        try {
            return value == null ? null : JSON.readTree(value);
        } catch (Exception e) {
            return null;
        }
    }

    @Command(name = "ack", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Acknowledges the raised alert of a rule for a sensor.",
                "Its later raises (a level change, an escalation) call no actions until it clears, whose cleared"
                        + " actions still run; the alert stays raised (acked) in InfluxDB and on Kafka. Prints each"
                        + " alert acknowledged."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:acknowledged", "1:rejected by the job, or no raised alert to acknowledge",
                "2:a usage or a configuration error", "3:no answer in time"})
    static final class Ack implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        AlertsCommand alerts;
        @Parameters(index = "0", paramLabel = "RULE", description = "The rule's name.")
        String rule;
        @Parameters(index = "1", paramLabel = "SENSOR", description = "The sensor id.")
        String sensor;
        @Option(names = "--comment", paramLabel = "TEXT", description = "Kept with the alert (its ackComment).")
        String comment;

        @Override
        public Integer call() {
            return alerts.send(AlertCommand.ack(rule, sensor, comment), spec);
        }
    }

    @Command(name = "shelve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Shelves a rule, or one sensor of it, for a while (maintenance).",
                "While shelved its alerts are still raised and cleared, and recorded, but send no actions or"
                        + " notifications. The shelf ends by itself after --for, or with unshelve."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:shelved", "1:rejected by the job", "2:a usage or a configuration error",
                "3:no answer in time"})
    static final class Shelve implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        AlertsCommand alerts;
        @Parameters(paramLabel = "RULE", description = "The rule's name.")
        String rule;
        @Option(names = "--sensor", paramLabel = "SENSOR", description = "Only this sensor (default: every sensor).")
        String sensor;
        @Option(names = "--for", required = true, paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long, e.g. 30m or 2h.")
        Duration duration;
        @Option(names = "--comment", paramLabel = "TEXT", description = "Why, for the record.")
        String comment;

        @Override
        public Integer call() {
            if (duration.isZero() || duration.isNegative()) {
                throw new ParameterException(spec.commandLine(), "--for must be a positive duration, got "
                        + Durations.format(duration));
            }
            return alerts.send(AlertCommand.shelve(rule, sensor, duration, comment), spec);
        }
    }

    @Command(name = "unshelve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Ends the shelf of a rule, or of one sensor of it, now."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:unshelved", "1:rejected by the job", "2:a usage or a configuration error",
                "3:no answer in time"})
    static final class Unshelve implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        AlertsCommand alerts;
        @Parameters(paramLabel = "RULE", description = "The rule's name.")
        String rule;
        @Option(names = "--sensor", paramLabel = "SENSOR", description = "Only this sensor (default: every sensor).")
        String sensor;

        @Override
        public Integer call() {
            return alerts.send(AlertCommand.unshelve(rule, sensor), spec);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {"Lists the alerts raised now: rule, sensor, level, since, value, acked, shelved.",
                "From the alerts topic (sinks.kafka.alerts-topic): the newest event of each rule, measurement and"
                        + " sensor, those RAISED."},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:listed (also none)", "1:a record of the topic is not an alert event",
                "2:a usage or a configuration error", "3:Kafka did not answer in time"})
    static final class ListAlerts implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @ParentCommand
        AlertsCommand alerts;
        @Option(names = "--rule", paramLabel = "RULE", description = "Only this rule's alerts.")
        String rule;
        @Option(names = "--sensor", paramLabel = "SENSOR", description = "Only this sensor's alerts.")
        String sensor;
        @Option(names = "--json", description = "One JSON object per alert and line, for scripts.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            KafkaSinkConfig kafka = alerts.kafkaOptions.pipeline().sinks.kafka;
            String off = !kafka.enabled ? "sinks.kafka.enabled is false"
                    : kafka.alertsTopic == null ? "sinks.kafka.alerts-topic is null" : null;
            if (off != null) {
                err.println("windrose: alerts on Kafka are off (" + off + ")");
                return Cli.USAGE;
            }
            List<AlertEvent> events = new ArrayList<>();
            try {
                AvroTopicReader.readToEnd(kafka.bootstrapServers, kafka.alertsTopic, AlertEvent.class,
                        kafka.properties, alerts.timeout()).forEach(record -> events.add(record.value()));
            } catch (UncheckedIOException e) {
                err.println("windrose: " + e.getCause().getMessage());
                return Cli.FAILED;
            } catch (RuntimeException e) {
                err.println("windrose: Kafka " + kafka.bootstrapServers + ": " + e.getMessage());
                return Cli.NO_ANSWER;
            }
            List<AlertEvent> raised = RaisedAlerts.raised(events, rule, sensor);
            if (json) {
                RaisedAlerts.json(raised, out);
            } else if (raised.isEmpty()) {
                out.println("no raised alerts");
            } else {
                RaisedAlerts.table(raised, out);
            }
            out.flush();
            return Cli.OK;
        }
    }
}
