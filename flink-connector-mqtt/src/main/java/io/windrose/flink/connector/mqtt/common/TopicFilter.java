package io.windrose.flink.connector.mqtt.common;

import com.hivemq.client.mqtt.datatypes.MqttTopic;
import java.io.Serializable;

/**
 * An MQTT topic filter ({@code +} for one level, {@code #} last for the rest), checked when made, and matched
 * against topic names as the broker would.
 */
public final class TopicFilter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String filter;
    private transient com.hivemq.client.mqtt.datatypes.MqttTopicFilter parsed;

    private TopicFilter(String filter) {
        this.filter = filter;
        this.parsed = com.hivemq.client.mqtt.datatypes.MqttTopicFilter.of(filter);
    }

    /**
     * The filter {@code filter}.
     *
     * @throws IllegalArgumentException saying why it is not a topic filter
     */
    public static TopicFilter of(String filter) {
        return new TopicFilter(filter);
    }

    /**
     * Checks a topic name to publish to (no wildcards, not empty, valid UTF-8 within MQTT's limits).
     *
     * @throws IllegalArgumentException saying why it is not one
     */
    public static void checkTopicName(String topic) {
        MqttTopic.of(topic);
    }

    /** Whether the broker delivers a message on {@code topic} to a subscription of this filter. */
    public boolean matches(String topic) {
        if (parsed == null) {
            parsed = com.hivemq.client.mqtt.datatypes.MqttTopicFilter.of(filter);
        }
        return parsed.matches(MqttTopic.of(topic));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicFilter other && filter.equals(other.filter);
    }

    @Override
    public int hashCode() {
        return filter.hashCode();
    }

    @Override
    public String toString() {
        return filter;
    }
}
