package io.windrose.flink.connector.mqtt.source.reader.deserializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One MQTT PUBLISH as the source received it: topic, payload, QoS, retained flag, arrival time and, with MQTT 5, its
 * properties (user properties, content type, correlation data, response topic; empty with MQTT 3.1.1).
 */
public final class MqttRecord {
    /** One MQTT 5 user property: a name and a value; a name may occur more than once. */
    public record UserProperty(String name, String value) {}

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retained;
    private final long receivedAt;
    private final List<UserProperty> userProperties;
    private final String contentType;
    private final byte[] correlationData;
    private final String responseTopic;

    public MqttRecord(String topic, byte[] payload, int qos, boolean retained, long receivedAt,
            List<UserProperty> userProperties, String contentType, byte[] correlationData, String responseTopic) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retained = retained;
        this.receivedAt = receivedAt;
        this.userProperties = userProperties;
        this.contentType = contentType;
        this.correlationData = correlationData;
        this.responseTopic = responseTopic;
    }

    /** A record without MQTT 5 properties (as MQTT 3.1.1 delivers them). */
    public MqttRecord(String topic, byte[] payload, int qos, boolean retained, long receivedAt) {
        this(topic, payload, qos, retained, receivedAt, List.of(), null, null, null);
    }

    /** The topic it was published to (not the filter it matched). */
    public String topic() {
        return topic;
    }

    /** The payload as sent; not copied, do not change it. */
    public byte[] payload() {
        return payload;
    }

    /** The QoS it was delivered with: the lower of the publisher's and the subscription's. */
    public int qos() {
        return qos;
    }

    /** Whether the broker delivered it as a retained message (sent when the subscription was made). */
    public boolean retained() {
        return retained;
    }

    /** When the reader received it (epoch ms); also the record's timestamp in Flink. */
    public long receivedAt() {
        return receivedAt;
    }

    /** MQTT 5 user properties in the order sent; empty when none (and always with 3.1.1). */
    public List<UserProperty> userProperties() {
        return userProperties;
    }

    /** MQTT 5 content type, e.g. {@code application/json}. */
    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    /** MQTT 5 correlation data (request/response); not copied. */
    public Optional<byte[]> correlationData() {
        return Optional.ofNullable(correlationData);
    }

    /** MQTT 5 response topic (request/response). */
    public Optional<String> responseTopic() {
        return Optional.ofNullable(responseTopic);
    }

    @Override
    public String toString() {
        return topic + " " + new String(payload, StandardCharsets.UTF_8);
    }
}
