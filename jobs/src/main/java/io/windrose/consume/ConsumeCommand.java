package io.windrose.consume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.avro.AvroTrees;
import io.windrose.cli.Cli;
import io.windrose.cli.DurationConverter;
import io.windrose.cli.KafkaOptions;
import io.windrose.cli.VersionProvider;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.sink.KafkaSinkConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code windrose consume}: prints the records of a Windrose Kafka topic as JSON lines, for a look at what downstream
 * consumers get. The record type comes from {@code --type} or the topic's name.
 */
@Command(name = "consume", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Prints the records of a Windrose Kafka topic as JSON lines.",
            "One line per record, from the earliest offset: key, partition, offset and the value (a dead letter's"
                    + " payload as text). Without --follow it exits once no record came for --idle-exit.",
            "",
            "  windrose consume --topic telemetry.aggregates --max 5",
            "  windrose consume --topic telemetry.deadletters --follow",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:done", "2:a usage or configuration error"})
public final class ConsumeCommand implements Callable<Integer> {
    private static final Map<String, Class<? extends SpecificRecord>> TYPES = Map.of("aggregate", SensorAggregate.class,
            "alert", AlertEvent.class, "dead-letter", DeadLetter.class, "reading", SensorReading.class);
    private static final List<String> ISOLATION = List.of("read_committed", "read_uncommitted");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "The topic, e.g. telemetry.alerts.")
    String topic;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--type", paramLabel = "TYPE", description = "aggregate, alert, dead-letter or reading. Default:"
            + " from the topic's name (telemetry.aggregates: aggregate, telemetry.late: reading).")
    String type;

    @Option(names = "--max", paramLabel = "N", description = "Stops after N records.")
    long max = Long.MAX_VALUE;

    @Option(names = "--idle-exit", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Exits once no record came for this long (default 5s).")
    Duration idleExit = Duration.ofSeconds(5);

    @Option(names = "--follow", description = "Keeps printing new records until stopped (Ctrl-C).")
    boolean follow;

    @Option(names = "--isolation", paramLabel = "LEVEL",
            description = "read_committed (default: no records of aborted transactions) or read_uncommitted.")
    String isolation;

    @Option(names = "--property", paramLabel = "KEY=VALUE",
            description = "A Kafka consumer setting (repeatable).")
    Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        String recordType = type != null ? type : typeOf(topic);
        if (!TYPES.containsKey(recordType)) {
            throw new ParameterException(spec.commandLine(), "--type must be one of " + TYPES.keySet() + ", got '"
                    + recordType + "'");
        }
        if (isolation != null && !ISOLATION.contains(isolation)) {
            throw new ParameterException(spec.commandLine(), "--isolation must be one of " + ISOLATION + ", got '"
                    + isolation + "'");
        }
        KafkaSinkConfig settings = kafka.kafka();
        Map<String, String> consumer = new LinkedHashMap<>(settings.properties);
        if (isolation != null) {
            consumer.put("isolation.level", isolation);
        }
        consumer.putAll(properties);
        print(settings.bootstrapServers, TYPES.get(recordType), consumer, spec.commandLine().getOut());
        return Cli.OK;
    }

    private <T extends SpecificRecord> void print(String bootstrap, Class<T> recordType, Map<String, String> settings,
            PrintWriter out) {
        long printed = 0;
        long lastRecord = System.nanoTime();
        try (AvroTopicReader<T> reader = new AvroTopicReader<>(bootstrap, topic, recordType, settings)) {
            while (printed < max && (follow || System.nanoTime() - lastRecord < idleExit.toNanos())) {
                for (AvroTopicReader.Keyed<T> record : reader.poll(Duration.ofMillis(500))) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("key", record.key());
                    line.put("partition", record.partition());
                    line.put("offset", record.offset());
                    line.set("value", AvroTrees.tree(record.value(), true));
                    out.println(line);
                    out.flush();
                    lastRecord = System.nanoTime();
                    if (++printed >= max) {
                        break;
                    }
                }
            }
        }
        out.flush();
    }

    /** aggregate, alert, dead-letter or reading from names such as telemetry.aggregates or telemetry.late. */
    private String typeOf(String name) {
        String t = name.toLowerCase(Locale.ROOT);
        if (t.contains("aggregate")) {
            return "aggregate";
        }
        if (t.contains("alert")) {
            return "alert";
        }
        if (t.contains("dead")) {
            return "dead-letter";
        }
        if (t.contains("late") || t.contains("reading")) {
            return "reading";
        }
        throw new ParameterException(spec.commandLine(), "cannot tell the record type from the topic name '" + name
                + "': add --type");
    }
}
