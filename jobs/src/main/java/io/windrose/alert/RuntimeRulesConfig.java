package io.windrose.alert;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.NullMeansOff;
import java.io.Serializable;

/**
 * The {@code runtime-rules} section: the Kafka topics through which rules change while the job runs, on the Kafka of
 * {@code sinks.kafka} (its servers and properties). With {@code sinks.kafka.enabled: false} every one of them is off,
 * whatever this section says; whether runtime rules are on is {@link RuleUpdates#enabled}'s to say.
 */
public final class RuntimeRulesConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    /** Rules changed at runtime (compacted; key = rule name, value = JSON); null: runtime rules off. */
    @NullMeansOff
    public String topic = "telemetry.rules";
    /**
     * The outcome of every rule update (accepted / rejected with its reason) and the rules in effect, and the answers
     * to alert commands; required while {@link #topic} or {@link #commandsTopic} is set.
     */
    @NullMeansOff
    public String statusTopic = "telemetry.rules.status";
    /**
     * Alert commands ({@code windrose alerts ack | shelve | unshelve}, see {@link AlertCommand}), answered on
     * {@link #statusTopic}; null: alert commands off. Like the other topics, off with Kafka off.
     */
    @NullMeansOff
    public String commandsTopic = "telemetry.alerts.commands";

    @Override
    public void validate(ConfigCheck check) {
        topic(check, topic, "topic", "no runtime rules");
        topic(check, statusTopic, "status-topic", "with topic: null");
        check.require(statusTopic != null || topic == null, "status-topic", "expected a topic name while topic is set"
                + " (the job answers each rule update there), or topic: null as well");
        topic(check, commandsTopic, "commands-topic", "no alert commands");
        check.require(statusTopic != null || commandsTopic == null, "status-topic", "expected a topic name while"
                + " commands-topic is set (the job answers each alert command there), or commands-topic: null as well");
    }

    private static void topic(ConfigCheck check, String topic, String key, String off) {
        check.require(topic == null || !topic.isBlank(), key, "expected a topic name, or null (" + off + ")");
    }
}
