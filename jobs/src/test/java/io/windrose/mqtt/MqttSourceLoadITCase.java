package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of 100,000 messages published much faster than a back-pressured job (a slow sink) consumes it: the reader
 * holds a bounded number of messages, the broker holds the rest, and nothing is lost.
 *
 * <p>Regression (at-most-once): the HiveMQ client silently DROPS QoS 0 messages beyond its receive maximum when its
 * consumer has no demand; the reader must stop reading the socket instead.
 */
class MqttSourceLoadITCase {
    private static final int MESSAGES = Integer.getInteger("burst.messages", 100_000);

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void atMostOnceQos0BurstStaysWithinTheHandOverQueueAndLosesNothing() throws Exception {
        // a broker of its own whose queue for a slow client is unbounded: only the client could lose messages here
        try (MosquittoServer mosquitto = new MosquittoServer(Ports.free(), RealServices.newDirectory("burst-qos0"),
                List.of("max_queued_messages 0")).start()) {
            MqttSource<MqttMessage> source = CountingSink.sourceBuilder()
                    .setServers(List.of(mosquitto.uri()))
                    .setClientIdPrefix("windrose-burst0")
                    .setQos(0)
                    .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_MOST_ONCE)
                    .setQueueCapacity(10_000)
                    .setTopics(List.of("burst/#"))
                    .build();
            long held = burst(mosquitto, source, MqttQos.AT_MOST_ONCE, "queuedMessages");
            assertThat(held).as("most messages held by the reader at once").isLessThanOrEqualTo(10_000);
        }
    }

    @Test
    void atLeastOnceBurstStaysWithinTheBrokersReceiveMaximumAndLosesNothing() throws Exception {
        // the broker lets 5,000 messages be in flight (un-acked) per client and queues the rest without limit
        try (MosquittoServer mosquitto = new MosquittoServer(Ports.free(), RealServices.newDirectory("burst-qos1"),
                List.of("max_inflight_messages 5000", "max_queued_messages 0")).start()) {
            MqttSource<MqttMessage> source = CountingSink.sourceBuilder()
                    .setServers(List.of(mosquitto.uri()))
                    .setClientIdPrefix("windrose-burst1")
                    .setQos(1)
                    .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_LEAST_ONCE)
                    .setCheckpointInterval(Duration.ofMillis(300))
                    .setTopics(List.of("burst/#"))
                    .build();
            long held = burst(mosquitto, source, MqttQos.AT_LEAST_ONCE, "unackedMessages");
            assertThat(held).as("most un-acked messages held by the reader at once").isLessThanOrEqualTo(5_000);
            assertThat(CountingSink.duplicates()).isEmpty();
        }
    }

    @Test
    void atLeastOnceReaderStopsAtItsUnackedLimitUntilACheckpointAcks() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        MqttSource<MqttMessage> source = CountingSink.sourceBuilder()
                .setServers(List.of(mosquitto.uri()))
                .setClientIdPrefix("windrose-unacked-limit")
                .setMaxUnacked(100)
                .setTopics(List.of("limit/#"))
                .build();
        jobs.track(new CountingSink().run(source, 1, 0)); // no checkpoints: nothing is ever acked
        jobs.awaitSubscribed(mosquitto, source.options(), 1);
        List<String> topics = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            topics.add("limit/s-" + i % 10);
            payloads.add("{\"i\":" + i + "}");
        }
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
        Await.until(CountingSink.TOTAL::get, n -> n >= 100, Duration.ofSeconds(30));
        Thread.sleep(1_000); // more would arrive now if the reader did not hold back
        assertThat(CountingSink.TOTAL.get()).isEqualTo(100);
        assertThat(InMemoryMetrics.gauge("unackedMessages")).isEqualTo(100);
    }

    /** Runs the burst and returns the highest value the {@code heldGauge} showed meanwhile. */
    private long burst(MosquittoServer mosquitto, MqttSource<MqttMessage> source, MqttQos qos, String heldGauge)
            throws Exception {
        // about 20,000 messages a second: far slower than the publisher
        JobClient job = jobs.track(new CountingSink(20, 1).run(source, 1, 300));
        AtomicLong maxHeld = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxHeld.accumulateAndGet(InMemoryMetrics.gauge(heldGauge), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "held-sampler");
        try {
            jobs.awaitSubscribed(mosquitto, source.options(), 1);
            sampler.start();
            List<String> topics = new ArrayList<>(MESSAGES);
            List<String> payloads = new ArrayList<>(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                topics.add("burst/b-" + i % 100);
                payloads.add("{\"ts\":" + i + ",\"temperature\":21.5}");
            }
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                devices.publishAll(topics, payloads, qos);
            }
            long takenWhenPublished = CountingSink.TOTAL.get() + InMemoryMetrics.gauge(heldGauge);
            long received = Await.until(CountingSink.TOTAL::get, n -> n >= MESSAGES, Duration.ofSeconds(120));
            Thread.sleep(500); // nothing more may arrive either
            assertThat(takenWhenPublished).as("the broker held the backlog, not the job").isLessThan(MESSAGES);
            assertThat(received).isEqualTo(MESSAGES);
            assertThat(CountingSink.TOTAL.get()).isEqualTo(MESSAGES);
            assertThat(CountingSink.BY_PAYLOAD).hasSize(MESSAGES);
            return maxHeld.get();
        } finally {
            sampler.interrupt();
            job.cancel().get(); // before the test's own broker stops
        }
    }
}
