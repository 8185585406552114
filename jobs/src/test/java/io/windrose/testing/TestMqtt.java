package io.windrose.testing;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A plain MQTT publisher for tests, playing the devices. */
public final class TestMqtt implements AutoCloseable {
    private final Mqtt5BlockingClient client;

    public TestMqtt(int port) {
        client = Mqtt5Client.builder().identifier("test-publisher-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(port).buildBlocking();
        client.connect();
    }

    public void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    public void publish(String topic, byte[] payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    /** Publishes without waiting for each message (as fast as the client can), then waits until all were sent. */
    public void publishAll(java.util.List<String> topics, java.util.List<String> payloads, MqttQos qos) {
        var async = client.toAsync();
        java.util.List<java.util.concurrent.CompletableFuture<?>> sent = new java.util.ArrayList<>(topics.size());
        for (int i = 0; i < topics.size(); i++) {
            sent.add(async.publishWith().topic(topics.get(i)).qos(qos)
                    .payload(payloads.get(i).getBytes(StandardCharsets.UTF_8)).send());
        }
        java.util.concurrent.CompletableFuture.allOf(sent.toArray(new java.util.concurrent.CompletableFuture<?>[0])).join();
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
