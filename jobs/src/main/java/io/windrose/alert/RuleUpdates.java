package io.windrose.alert;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.sink.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rules changed while the job runs: the compacted Kafka topic {@code runtime-rules.topic} (key = rule name, value = the
 * rule as JSON with the pipeline file's keys, tombstone = delete), on the Kafka of {@code sinks.kafka}, read from its
 * start and broadcast to the alert operators; with runtime rules off, an empty stream. Beside them, the alert commands
 * of {@code runtime-rules.commands-topic} ({@link AlertCommand}). Their watermark is the end of time: they never hold
 * back event time.
 */
public final class RuleUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(RuleUpdates.class);

    private RuleUpdates() {}

    /**
     * The rule updates and the alert commands ({@code runtime-rules.commands-topic}, see {@link AlertCommand}), broadcast
     * to every subtask (for {@link RuleBroadcastOperator}).
     */
    public static DataStream<RuleUpdate> stream(StreamExecutionEnvironment env, KafkaSinkConfig kafka,
            RuntimeRulesConfig rules) {
        WatermarkStrategy<RuleUpdate> endOfTime = WatermarkStrategy.forGenerator(ctx -> new EndOfTime<>());
        createTopics(kafka, rules);
        SingleOutputStreamOperator<RuleUpdate> updates;
        if (enabled(kafka, rules)) {
            updates = env.fromSource(source(kafka, rules.topic, OffsetsInitializer.earliest(), false), endOfTime,
                    "rules-topic").uid("rules-topic").setParallelism(1);
        } else {
            updates = env.fromSource(new DataGeneratorSource<>(index -> new RuleUpdate("", null, -1L, null), 0,
                    RateLimiterStrategy.noOp(), new AvroTypeInfo<>(RuleUpdate.class)), endOfTime, "no-rules-topic")
                    .uid("rules-topic").setParallelism(1);
        }
        // a rule goes out as soon as it is read; a stream idle almost always needs no flusher thread waking 100 times a
        // second (Flink starts one per output of a task; with this and the alerts' and the aggregates' own timeouts, the
        // flushers' CPU in the e2e bench went from 0.4-0.6 to 0.2 µs per reading at QoS 0, 0.7-1.0 to 0.4-0.5 at QoS 1)
        DataStream<RuleUpdate> all = updates.setBufferTimeout(0);
        if (commandsEnabled(kafka, rules)) {
            // from the job's submission on (then from its checkpoints): a command is for the alerts raised now, and
            // one sent while no job ran would act on a new job's alerts it never meant
            all = all.union(env.fromSource(source(kafka, rules.commandsTopic,
                            OffsetsInitializer.timestamp(System.currentTimeMillis()), true), endOfTime, "alert-commands-topic")
                    .uid("alert-commands-topic").setParallelism(1).setBufferTimeout(0));
        }
        return all.broadcast();
    }

    private static KafkaSource<RuleUpdate> source(KafkaSinkConfig kafka, String topic, OffsetsInitializer start,
            boolean commands) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        return KafkaSource.<RuleUpdate>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(topic)
                .setProperties(properties)
                .setStartingOffsets(start)
                .setProperty("partition.discovery.interval.ms", "10000")
                .setDeserializer(new Deserializer(commands))
                .build();
    }

    /** No rule updates (replay and backtest: the rules are fixed when they start), broadcast. */
    public static DataStream<RuleUpdate> none(StreamExecutionEnvironment env) {
        return env.fromSource(new DataGeneratorSource<>(index -> new RuleUpdate("", null, -1L, null), 0,
                        RateLimiterStrategy.noOp(), new AvroTypeInfo<>(RuleUpdate.class)),
                WatermarkStrategy.forGenerator(ctx -> new EndOfTime<>()), "no-rule-updates").setParallelism(1).broadcast();
    }

    /**
     * Whether runtime rules are on, the one place that says so: with Kafka ({@code sinks.kafka.enabled}) and a rules
     * topic ({@code runtime-rules.topic}).
     */
    public static boolean enabled(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        return kafka.enabled && rules.topic != null;
    }

    /** Why runtime rules are off (the key that turns them off), for a message; null when they are on. */
    public static String off(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        if (enabled(kafka, rules)) {
            return null;
        }
        return kafka.enabled ? "runtime-rules.topic is null" : "sinks.kafka.enabled is false";
    }

    /**
     * Whether alert commands are on, the one place that says so: with Kafka ({@code sinks.kafka.enabled}) and a commands
     * topic ({@code runtime-rules.commands-topic}); the job answers them on the status topic.
     */
    public static boolean commandsEnabled(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        return kafka.enabled && rules.commandsTopic != null;
    }

    /** Why alert commands are off (the key that turns them off), for a message; null when they are on. */
    public static String commandsOff(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        if (commandsEnabled(kafka, rules)) {
            return null;
        }
        return kafka.enabled ? "runtime-rules.commands-topic is null" : "sinks.kafka.enabled is false";
    }

    /** Whether the job writes the status topic: with runtime rules or alert commands on. */
    public static boolean statusEnabled(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        return enabled(kafka, rules) || commandsEnabled(kafka, rules);
    }

    /**
     * Creates the rules topic (compacted), the commands topic and the status topic, those that are on, if they are
     * missing; warns if Kafka cannot be reached.
     */
    static void createTopics(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        List<NewTopic> topics = new ArrayList<>();
        if (enabled(kafka, rules)) {
            topics.add(KafkaTopics.singlePartition(rules.topic,
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        }
        if (commandsEnabled(kafka, rules)) {
            topics.add(KafkaTopics.singlePartition(rules.commandsTopic, Map.of()));
        }
        if (statusEnabled(kafka, rules)) {
            topics.add(KafkaTopics.singlePartition(rules.statusTopic, Map.of()));
        }
        if (!topics.isEmpty()) {
            // rules sent to a topic before it exists may be missed
            KafkaTopics.createMissing(kafka.bootstrapServers, kafka.properties,
                    "runtime-rules.topic / commands-topic / status-topic", topics);
        }
    }

    private static final class Deserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
        private static final long serialVersionUID = 1L;
        private final boolean commands;

        Deserializer(boolean commands) {
            this.commands = commands;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
            if (commands) {
                // the operators check it and answer on the status topic (a command without a value, too)
                out.collect(new RuleUpdate("", null, record.offset(),
                        record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8)));
                return;
            }
            if (record.key() == null) {
                LOG.warn("A record without a key in the rules topic (offset {}): the key must be the rule's name",
                        record.offset());
                return;
            }
            out.collect(new RuleUpdate(new String(record.key(), StandardCharsets.UTF_8),
                    record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8), record.offset(), null));
        }

        @Override
        public TypeInformation<RuleUpdate> getProducedType() {
            return new AvroTypeInfo<>(RuleUpdate.class);
        }
    }
}
