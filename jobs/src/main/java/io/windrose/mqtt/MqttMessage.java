package io.windrose.mqtt;

import java.nio.charset.StandardCharsets;

/**
 * One MQTT PUBLISH as the pipeline takes it: topic, raw payload and arrival time (epoch ms). A Flink POJO, made from
 * the connector's record by {@link MqttMessageSchema}.
 */
public class MqttMessage {
    public String topic;
    public byte[] payload;
    public long receivedAt;

    public MqttMessage() {}

    public MqttMessage(String topic, byte[] payload, long receivedAt) {
        this.topic = topic;
        this.payload = payload;
        this.receivedAt = receivedAt;
    }

    @Override
    public String toString() {
        return topic + " " + new String(payload, StandardCharsets.UTF_8);
    }
}
