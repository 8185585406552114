package io.windrose.sink;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.NullMeansOff;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The {@code sinks.kafka} section: Avro values from the schemas module, key = sensor id. Its servers and properties
 * are also those of the {@code runtime-rules} topics.
 */
public final class KafkaSinkConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 2L;
    public boolean enabled = true;
    public String bootstrapServers = "127.0.0.1:9092";
    /** Each topic's output is off when the pipeline sets it to null. */
    @NullMeansOff
    public String aggregatesTopic = "telemetry.aggregates";
    @NullMeansOff
    public String alertsTopic = "telemetry.alerts";
    /** Null: dead letters are counted and logged, not kept. */
    @NullMeansOff
    public String deadLettersTopic = "telemetry.deadletters";
    @NullMeansOff
    public String lateTopic = "telemetry.late";
    /**
     * The archive: every reading the windows are offered (after decode and dedup), for replay and backtests; null:
     * no archive.
     */
    @NullMeansOff
    public String readingsTopic = "telemetry.readings";
    /** How long the archive keeps readings (retention.ms of the readings topic, when Windrose creates it). */
    public Duration readingsRetention = Duration.ofDays(30);
    /** Flink's own: none | at-least-once | exactly-once. */
    public DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    public String transactionalIdPrefix = "windrose";
    /** Extra producer properties (e.g. security.protocol, sasl.jaas.config); values are never printed. */
    public Map<String, String> properties = new LinkedHashMap<>();

    @Override
    public void validate(ConfigCheck check) {
        if (!enabled) {
            return;
        }
        check.notBlank(bootstrapServers, "bootstrap-servers", "expected host:port[,host:port]");
        topic(check, aggregatesTopic, "aggregates-topic", "no aggregates on Kafka");
        topic(check, alertsTopic, "alerts-topic", "no alerts on Kafka");
        topic(check, deadLettersTopic, "dead-letters-topic", "dead letters counted, not kept");
        topic(check, lateTopic, "late-topic", "late readings counted, not kept");
        topic(check, readingsTopic, "readings-topic", "no archive of readings: nothing to replay");
        check.positive(readingsRetention, "readings-retention");
        check.notBlank(transactionalIdPrefix, "transactional-id-prefix", "expected a prefix for Kafka transactional ids");
    }

    private static void topic(ConfigCheck check, String topic, String key, String off) {
        check.require(topic == null || !topic.isBlank(), key, "expected a topic name, or null (" + off + ")");
    }

    @Override
    public String toString() {
        return "Kafka[" + bootstrapServers + ", " + deliveryGuarantee + ", properties " + properties.keySet() + "]";
    }
}
