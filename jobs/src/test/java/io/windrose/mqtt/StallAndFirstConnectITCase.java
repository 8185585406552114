package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job starts before its broker: the first connection fails and is retried, the reader reports itself stalled
 * (metric and log) while it cannot connect, and once a real Mosquitto comes up on that port it connects, subscribes
 * and receives, and the stall clears.
 */
class StallAndFirstConnectITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void aReaderWithoutBrokerRetriesReportsTheStallAndRecoversWhenTheBrokerComesUp() throws Exception {
        int port = Ports.free();
        MqttSource<MqttMessage> source = CountingSink.sourceBuilder()
                .setServers(List.of("tcp://127.0.0.1:" + port))
                .setClientIdPrefix("windrose-late-broker")
                .setReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500))
                .setStallWarnings(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .setTopics(List.of("late/#"))
                .build();
        jobs.track(new CountingSink().run(source, 1, 500));
        try (MosquittoServer mosquitto = new MosquittoServer(port, RealServices.newDirectory("late-broker"))) {
            assertThat(Await.until(() -> InMemoryMetrics.gauge("stalled"), s -> s == 1, Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(InMemoryMetrics.gauge("connected")).isZero();
            assertThat(InMemoryMetrics.count("reconnects")).as("failed first connections are retried").isPositive();

            mosquitto.start();
            jobs.awaitSubscribed(mosquitto, source.options(), 1);
            try (TestMqtt devices = new TestMqtt(port)) {
                devices.publish("late/s-1", "{\"n\":1}");
            }
            assertThat(Await.until(CountingSink.TOTAL::get, n -> n >= 1, Duration.ofSeconds(30))).isEqualTo(1);
            assertThat(InMemoryMetrics.gauge("connected")).isEqualTo(1);
            assertThat(Await.until(() -> InMemoryMetrics.gauge("stalled"), s -> s == 0, Duration.ofSeconds(10))).isZero();
            assertThat(InMemoryMetrics.gauge("lastMessageAgeMs")).isBetween(0L, 30_000L);
            // Flink's standard source metrics: payload bytes, and the lag from arrival to emit
            assertThat(InMemoryMetrics.count("numBytesIn", ".Source: mqtt.")).isEqualTo("{\"n\":1}".length());
            assertThat(InMemoryMetrics.gauge("currentEmitEventTimeLag")).isBetween(0L, 30_000L);
        }
    }
}
