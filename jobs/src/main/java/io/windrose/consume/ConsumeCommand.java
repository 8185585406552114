package io.windrose.consume;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.avro.AvroTrees;
import io.windrose.config.Durations;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * {@code windrose consume}: prints the records of a Windrose Kafka topic as JSON lines, for a look at what downstream
 * consumers get. The record type comes from {@code --type} or the topic's name.
 */
public final class ConsumeCommand {
    static final String USAGE = """
            usage: windrose consume --topic TOPIC [--bootstrap-servers HOST:PORT] [--type aggregate|alert|dead-letter|reading]
                                    [--max N] [--idle-exit 5s | --follow] [--isolation read_committed|read_uncommitted]
                                    [--property key=value ...]
            Prints one JSON line per record: {"key":…,"partition":…,"offset":…,"value":{…}}, from the earliest offset.
            Without --follow it exits once no record came for --idle-exit (5s).""";
    private static final Map<String, Class<? extends SpecificRecord>> TYPES = Map.of("aggregate", SensorAggregate.class,
            "alert", AlertEvent.class, "dead-letter", DeadLetter.class, "reading", SensorReading.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsumeCommand() {}

    /** Runs the command; returns the exit code (0 done, 2 bad arguments). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        String bootstrap = "127.0.0.1:9092";
        String topic = null;
        String type = null;
        long max = Long.MAX_VALUE;
        Duration idleExit = Duration.ofSeconds(5);
        Map<String, String> settings = new LinkedHashMap<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--bootstrap-servers" -> bootstrap = args.get(++i);
                    case "--topic" -> topic = args.get(++i);
                    case "--type" -> type = args.get(++i);
                    case "--max" -> max = Long.parseLong(args.get(++i));
                    case "--idle-exit" -> idleExit = Durations.parse(args.get(++i));
                    case "--follow" -> idleExit = null;
                    case "--isolation" -> settings.put("isolation.level", args.get(++i));
                    case "--property" -> {
                        String[] kv = args.get(++i).split("=", 2);
                        settings.put(kv[0], kv.length > 1 ? kv[1] : "");
                    }
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
                }
            }
            if (topic == null) {
                throw new IllegalArgumentException("missing --topic");
            }
            type = type != null ? type : typeOf(topic);
            if (!TYPES.containsKey(type)) {
                throw new IllegalArgumentException("--type must be one of " + TYPES.keySet() + ", got '" + type + "'");
            }
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            err.println(USAGE + "\nwindrose consume: " + (e instanceof IndexOutOfBoundsException
                    ? "an option is missing its value" : e.getMessage()));
            return 2;
        }
        print(bootstrap, topic, TYPES.get(type), settings, max, idleExit, out);
        return 0;
    }

    private static <T extends SpecificRecord> void print(String bootstrap, String topic, Class<T> type,
            Map<String, String> settings, long max, Duration idleExit, PrintStream out) {
        long printed = 0;
        long lastRecord = System.nanoTime();
        try (AvroTopicReader<T> reader = new AvroTopicReader<>(bootstrap, topic, type, settings)) {
            while (printed < max && (idleExit == null || System.nanoTime() - lastRecord < idleExit.toNanos())) {
                for (AvroTopicReader.Keyed<T> record : reader.poll(Duration.ofMillis(500))) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("key", record.key());
                    line.put("partition", record.partition());
                    line.put("offset", record.offset());
                    line.set("value", AvroTrees.tree(record.value(), true));
                    out.println(line);
                    lastRecord = System.nanoTime();
                    if (++printed >= max) {
                        break;
                    }
                }
            }
        }
        out.flush();
    }

    /** aggregate, alert, dead-letter or reading from names such as telemetry.aggregates or telemetry.late; else null. */
    static String typeOf(String topic) {
        String t = topic.toLowerCase(Locale.ROOT);
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
        throw new IllegalArgumentException("cannot tell the record type from the topic name '" + topic + "': add --type");
    }
}
