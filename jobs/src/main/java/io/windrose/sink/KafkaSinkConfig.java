package io.windrose.sink;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** The {@code sinks.kafka} section: Avro values from the schemas module, key = sensor id. */
public final class KafkaSinkConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 2L;
    public boolean enabled = true;
    public String bootstrapServers = "127.0.0.1:9092";
    public String aggregatesTopic = "telemetry.aggregates";
    public String alertsTopic = "telemetry.alerts";
    public String deadLettersTopic = "telemetry.deadletters";
    public String lateTopic = "telemetry.late";
    /** Rules changed at runtime (compacted; key = rule name, value = JSON); null: runtime rules off. */
    public String rulesTopic = "telemetry.rules";
    /** The outcome of every rule update (accepted / rejected with its reason) and the rules in effect. */
    public String rulesStatusTopic = "telemetry.rules.status";
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
        check.notBlank(aggregatesTopic, "aggregates-topic", "expected a topic name");
        check.notBlank(alertsTopic, "alerts-topic", "expected a topic name");
        check.notBlank(deadLettersTopic, "dead-letters-topic", "expected a topic name");
        check.notBlank(lateTopic, "late-topic", "expected a topic name");
        check.require(rulesTopic == null || !rulesTopic.isBlank(), "rules-topic", "expected a topic name, or null for no runtime rules");
        check.notBlank(rulesStatusTopic, "rules-status-topic", "expected a topic name");
        check.notBlank(transactionalIdPrefix, "transactional-id-prefix", "expected a prefix for Kafka transactional ids");
    }

    @Override
    public String toString() {
        return "Kafka[" + bootstrapServers + ", " + deliveryGuarantee + ", properties " + properties.keySet() + "]";
    }
}
