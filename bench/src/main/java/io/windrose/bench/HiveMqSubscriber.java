package io.windrose.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The MQTT client the job reads with (HiveMQ, MQTT 5, the callback on the client's network thread, manual acks at QoS
 * 1 sent once a second as a 1 s checkpoint would) out of the box, with nothing behind it: what the client alone costs
 * per message. The job's reader adds flush consolidation for its acks ({@code AckFlushConsolidation}); this does not.
 */
final class HiveMqSubscriber implements AutoCloseable {
    final AtomicLong received = new AtomicLong();
    volatile long lastNanos;
    private final Mqtt5AsyncClient client;
    private final ConcurrentLinkedQueue<Mqtt5Publish> unacked = new ConcurrentLinkedQueue<>();
    private final Thread acker;

    HiveMqSubscriber(int port, String clientId, String filter, int qos) throws Exception {
        client = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .buildAsync();
        boolean manualAck = qos > 0;
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> {
            received.incrementAndGet();
            lastNanos = System.nanoTime();
            if (manualAck) {
                unacked.add(publish);
            }
        }, Runnable::run, manualAck);
        client.connectWith().cleanStart(true).restrictions().receiveMaximum(65_535).applyRestrictions().send()
                .get(30, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send().get(30, TimeUnit.SECONDS);
        acker = new Thread(this::ackEverySecond, "hivemq-acker");
        acker.setDaemon(true);
        acker.start();
    }

    private void ackEverySecond() {
        List<Mqtt5Publish> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            for (Mqtt5Publish publish; (publish = unacked.poll()) != null; ) {
                batch.add(publish);
            }
            batch.forEach(Mqtt5Publish::acknowledge);
            batch.clear();
        }
    }

    @Override
    public void close() throws Exception {
        acker.interrupt();
        client.disconnect().get(30, TimeUnit.SECONDS);
    }
}
