package io.windrose.alert;

import io.windrose.alert.state.RuleUpdate;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.sink.KafkaTopics;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rules changed while the job runs: the compacted Kafka topic {@code runtime-rules.topic} (key = rule name, value = the
 * rule as JSON with the pipeline file's keys, tombstone = delete), on the Kafka of {@code sinks.kafka}, read from its
 * start and broadcast to the alert operators; with runtime rules off, an empty stream. Its watermark is the end of
 * time: it never holds back event time.
 */
public final class RuleUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(RuleUpdates.class);

    private RuleUpdates() {}

    /** The rule updates, broadcast to every subtask (for {@link RuleBroadcastOperator}). */
    public static DataStream<RuleUpdate> stream(StreamExecutionEnvironment env, KafkaSinkConfig kafka,
            RuntimeRulesConfig rules) {
        WatermarkStrategy<RuleUpdate> endOfTime = WatermarkStrategy.forGenerator(ctx -> new EndOfTime<>());
        SingleOutputStreamOperator<RuleUpdate> updates;
        if (enabled(kafka, rules)) {
            createTopics(kafka, rules);
            Properties properties = new Properties();
            properties.putAll(kafka.properties);
            KafkaSource<RuleUpdate> source = KafkaSource.<RuleUpdate>builder()
                    .setBootstrapServers(kafka.bootstrapServers)
                    .setTopics(rules.topic)
                    .setProperties(properties)
                    .setStartingOffsets(OffsetsInitializer.earliest())
                    .setProperty("partition.discovery.interval.ms", "10000")
                    .setDeserializer(new Deserializer())
                    .build();
            updates = env.fromSource(source, endOfTime, "rules-topic").uid("rules-topic").setParallelism(1);
        } else {
            updates = env.fromSource(new DataGeneratorSource<>(index -> new RuleUpdate("", null, -1L), 0,
                    RateLimiterStrategy.noOp(), new AvroTypeInfo<>(RuleUpdate.class)), endOfTime, "no-rules-topic")
                    .uid("rules-topic").setParallelism(1);
        }
        // a rule goes out as soon as it is read; a stream idle almost always needs no flusher thread waking 100 times a
        // second (Flink starts one per output of a task; with this and the alerts' and the aggregates' own timeouts, the
        // flushers' CPU in the e2e bench went from 0.4-0.6 to 0.2 µs per reading at QoS 0, 0.7-1.0 to 0.4-0.5 at QoS 1)
        return updates.setBufferTimeout(0).broadcast();
    }

    /** No rule updates (replay and backtest: the rules are fixed when they start), broadcast. */
    public static DataStream<RuleUpdate> none(StreamExecutionEnvironment env) {
        return env.fromSource(new DataGeneratorSource<>(index -> new RuleUpdate("", null, -1L), 0,
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

    /** Creates the rules topic (compacted) and the status topic if they are missing; warns if Kafka cannot be reached. */
    static void createTopics(KafkaSinkConfig kafka, RuntimeRulesConfig rules) {
        if (!enabled(kafka, rules)) {
            return;
        }
        // rules sent to a topic before it exists may be missed
        KafkaTopics.createMissing(kafka.bootstrapServers, kafka.properties, "runtime-rules.topic / status-topic",
                List.of(KafkaTopics.singlePartition(rules.topic,
                                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                        KafkaTopics.singlePartition(rules.statusTopic, Map.of())));
    }

    private static final class Deserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
            if (record.key() == null) {
                LOG.warn("A record without a key in the rules topic (offset {}): the key must be the rule's name",
                        record.offset());
                return;
            }
            out.collect(new RuleUpdate(new String(record.key(), StandardCharsets.UTF_8),
                    record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8), record.offset()));
        }

        @Override
        public TypeInformation<RuleUpdate> getProducedType() {
            return new AvroTypeInfo<>(RuleUpdate.class);
        }
    }
}
