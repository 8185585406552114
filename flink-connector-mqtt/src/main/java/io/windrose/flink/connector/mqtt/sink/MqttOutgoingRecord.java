package io.windrose.flink.connector.mqtt.sink;

import io.windrose.flink.connector.mqtt.common.TopicFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One message to publish: topic, payload, QoS, retain flag and the MQTT 5 properties (message expiry, user
 * properties, response topic, correlation data, content type). With MQTT 3.1.1 the properties are not sent. Made with
 * {@link #builder(String, byte[])}; what an {@link MqttRecordSerializationSchema} returns for each record.
 */
public final class MqttOutgoingRecord {
    /** An MQTT 5 user property; a name may occur more than once. */
    public record UserProperty(String name, String value) {
        public UserProperty {
            Objects.requireNonNull(name);
            Objects.requireNonNull(value);
        }
    }

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retain;
    private final Long messageExpirySeconds;
    private final List<UserProperty> userProperties;
    private final String responseTopic;
    private final byte[] correlationData;
    private final String contentType;

    private MqttOutgoingRecord(Builder b) {
        this.topic = b.topic;
        this.payload = b.payload;
        this.qos = b.qos;
        this.retain = b.retain;
        this.messageExpirySeconds = b.messageExpirySeconds;
        this.userProperties = List.copyOf(b.userProperties);
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData;
        this.contentType = b.contentType;
    }

    /** A message to {@code topic} (a topic name: no wildcards) with {@code payload}: QoS 1, not retained. */
    public static Builder builder(String topic, byte[] payload) {
        return new Builder(topic, payload);
    }

    public String topic() {
        return topic;
    }

    public byte[] payload() {
        return payload;
    }

    public int qos() {
        return qos;
    }

    public boolean retain() {
        return retain;
    }

    /** MQTT 5 message expiry: the broker drops the message if it is not delivered within this many seconds. */
    public OptionalLong messageExpirySeconds() {
        return messageExpirySeconds == null ? OptionalLong.empty() : OptionalLong.of(messageExpirySeconds);
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    public Optional<String> responseTopic() {
        return Optional.ofNullable(responseTopic);
    }

    public Optional<byte[]> correlationData() {
        return Optional.ofNullable(correlationData);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    @Override
    public String toString() {
        return "MqttOutgoingRecord{topic=" + topic + ", " + payload.length + " bytes, qos=" + qos + ", retain=" + retain
                + (messageExpirySeconds == null ? "" : ", expiry=" + messageExpirySeconds + "s")
                + (userProperties.isEmpty() ? "" : ", userProperties=" + userProperties)
                + (responseTopic == null ? "" : ", responseTopic=" + responseTopic)
                + (correlationData == null ? "" : ", correlationData=" + Arrays.toString(correlationData))
                + (contentType == null ? "" : ", contentType=" + contentType) + "}";
    }

    /** Builds an {@link MqttOutgoingRecord}; {@link #build} checks the values. */
    public static final class Builder {
        private final String topic;
        private final byte[] payload;
        private int qos = 1;
        private boolean retain;
        private Long messageExpirySeconds;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private String responseTopic;
        private byte[] correlationData;
        private String contentType;

        private Builder(String topic, byte[] payload) {
            this.topic = Objects.requireNonNull(topic, "topic");
            this.payload = Objects.requireNonNull(payload, "payload");
        }

        /** 0, 1 or 2 (default 1). */
        public Builder qos(int qos) {
            this.qos = qos;
            return this;
        }

        public Builder retain(boolean retain) {
            this.retain = retain;
            return this;
        }

        /** MQTT 5 message expiry in seconds (0 to 4294967295); null for none. */
        public Builder messageExpirySeconds(Long seconds) {
            this.messageExpirySeconds = seconds;
            return this;
        }

        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder responseTopic(String responseTopic) {
            this.responseTopic = responseTopic;
            return this;
        }

        public Builder correlationData(byte[] correlationData) {
            this.correlationData = correlationData;
            return this;
        }

        public Builder contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a QoS other than 0, 1, 2, a negative or too long expiry, or a topic
         *     (or response topic) that is empty or holds a wildcard
         */
        public MqttOutgoingRecord build() {
            if (qos < 0 || qos > 2) {
                throw new IllegalArgumentException("QoS must be 0, 1 or 2, got " + qos);
            }
            if (messageExpirySeconds != null && (messageExpirySeconds < 0 || messageExpirySeconds > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("message expiry must be 0 to 4294967295 seconds, got "
                        + messageExpirySeconds);
            }
            checkTopicName(topic, "topic");
            if (responseTopic != null) {
                checkTopicName(responseTopic, "response topic");
            }
            return new MqttOutgoingRecord(this);
        }

        private static void checkTopicName(String topic, String what) {
            try {
                TopicFilter.checkTopicName(topic);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + " '" + topic + "': " + e.getMessage(), e);
            }
        }
    }
}
