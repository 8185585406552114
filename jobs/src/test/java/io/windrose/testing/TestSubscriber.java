package io.windrose.testing;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A device listening for commands: records every message on a filter, with its retain flag and message expiry. */
public final class TestSubscriber implements AutoCloseable {
    /** A message as the device got it. */
    public record Received(String topic, String payload, boolean retain, long expirySeconds) {
        @Override
        public String toString() {
            return topic + " " + payload;
        }
    }

    private final Mqtt5AsyncClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public TestSubscriber(int port, String filter) throws Exception {
        client = Mqtt5Client.builder().identifier("test-device-" + UUID.randomUUID()).serverHost("127.0.0.1")
                .serverPort(port).buildAsync();
        client.connect().get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(message -> received.add(new Received(message.getTopic().toString(),
                        new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8), message.isRetain(),
                        message.getMessageExpiryInterval().orElse(-1))))
                .send().get(10, TimeUnit.SECONDS);
    }

    /** What arrived so far, once {@code count} messages did (or the timeout passed) and a second more. */
    public List<Received> await(int count, Duration timeout) throws InterruptedException {
        Await.until(received::size, n -> n >= count, timeout);
        Thread.sleep(1_000); // one more would arrive now
        return List.copyOf(received);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        client.disconnect();
    }
}
