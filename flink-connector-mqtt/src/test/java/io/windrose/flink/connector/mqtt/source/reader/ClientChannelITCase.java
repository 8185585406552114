package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.netty.channel.Channel;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The HiveMQ client's channel, reached through its internal API ({@link ClientChannel}), on live connections to the real
 * Mosquitto: with MQTT 5 the reader's two handlers go into it and at-least-once traffic still flows and is acknowledged
 * through them; with 3.1.1 it is not reachable.
 */
class ClientChannelITCase {
    private static final int MESSAGES = 500;
    private static final MosquittoServer mosquitto = TestBroker.mosquitto();

    @Test
    void mqtt5TakesBothHandlersAndItsAcksStillReachTheBroker() throws Exception {
        String id = "channel-" + UUID.randomUUID();
        CompletableFuture<Channel> channel = new CompletableFuture<>();
        Mqtt5AsyncClient reader = client(id, context -> {
            Channel live = ClientChannel.of(context);
            if (live != null) {
                AckFlushConsolidation.install(live);
                ReadPacing.install(live, Duration.ofMillis(1));
            }
            channel.complete(live);
        });
        AtomicInteger received = new AtomicInteger();
        reader.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            received.incrementAndGet();
            publish.acknowledge();
        }, true);
        reader.connectWith().cleanStart(true).sessionExpiryInterval(60).send().join();
        assertThat(channel.get(10, TimeUnit.SECONDS)).as("the live connection's channel").isNotNull();
        assertThat(channel.get().pipeline().names()).contains(AckFlushConsolidation.NAME, ReadPacing.NAME);
        reader.subscribeWith().topicFilter(id + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();

        Mqtt5AsyncClient devices = client("devices-" + id, context -> {});
        devices.connect().join();
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (String payload : payloads()) {
            sent.add(devices.publishWith().topic(id + "/s").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(payload.getBytes(StandardCharsets.UTF_8)).send());
        }
        CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).join();
        devices.disconnect().join();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received.get() < MESSAGES && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(received).hasValue(MESSAGES);
        Thread.sleep(500); // the last acks' flush
        reader.disconnect().join();

        // the same session again: whatever the broker still holds un-acked comes back now
        AtomicInteger redelivered = new AtomicInteger();
        Mqtt5AsyncClient again = client(id, context -> {});
        again.publishes(MqttGlobalPublishFilter.ALL, publish -> redelivered.incrementAndGet());
        assertThat(again.connectWith().cleanStart(false).sessionExpiryInterval(0).send().join().isSessionPresent())
                .as("the session was kept").isTrue();
        Thread.sleep(1_000);
        again.disconnect().join();
        assertThat(redelivered).as("messages the broker never got an ack for").hasValue(0);
    }

    @Test
    void mqtt311DoesNotExposeItsChannel() throws Exception {
        CompletableFuture<Channel> channel = new CompletableFuture<>();
        var reader = MqttClient.builder().identifier("channel-" + UUID.randomUUID()).serverHost("127.0.0.1")
                .serverPort(mosquitto.port()).addConnectedListener(context -> channel.complete(ClientChannel.of(context)))
                .useMqttVersion3().buildAsync();
        reader.connect().join();
        assertThat(channel.get(10, TimeUnit.SECONDS)).isNull();
        reader.disconnect().join();
    }

    private Mqtt5AsyncClient client(String id, java.util.function.Consumer<MqttClientConnectedContext> connected) {
        return MqttClient.builder().identifier(id).serverHost("127.0.0.1").serverPort(mosquitto.port())
                .addConnectedListener(connected::accept).useMqttVersion5().buildAsync();
    }

    private static List<String> payloads() {
        List<String> payloads = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            payloads.add("{\"n\":" + i + "}");
        }
        return payloads;
    }
}
