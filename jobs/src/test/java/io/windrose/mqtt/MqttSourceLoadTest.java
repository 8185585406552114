package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * A burst published much faster than a back-pressured job consumes it. Regression: the HiveMQ client silently DROPS
 * QoS 0 messages beyond its receive maximum when its consumer has no demand; the reader must stop reading the socket
 * instead, so the broker holds the rest.
 */
class MqttSourceLoadTest {
    private static final int MESSAGES = 200_000;
    private static final AtomicLong RECEIVED = new AtomicLong();

    @Test
    void qos0BurstIntoABackPressuredJobLosesNothing() throws Exception {
        // a broker of its own whose queue for a slow client is unbounded: only the client could lose messages here
        try (MosquittoServer mosquitto = new MosquittoServer(io.windrose.localcluster.Ports.free(),
                RealServices.newDirectory("burst-broker"), List.of("max_queued_messages 0")).start()) {
            burst(mosquitto);
        }
    }

    private void burst(MosquittoServer mosquitto) throws Exception {
        RECEIVED.set(0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        MqttSource source = MqttSource.builder()
                .setServers(List.of(mosquitto.uri()))
                .setClientIdPrefix("windrose-burst")
                .setQos(0)
                .addTopicFilters(List.of("burst/#"))
                .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "mqtt").sinkTo(new SlowCountingSink());
        JobClient job = env.executeAsync("burst");
        try {
            mosquitto.awaitSubscription("windrose-burst-0", "burst/#", Duration.ofSeconds(60));
            List<String> topics = new ArrayList<>(MESSAGES);
            List<String> payloads = new ArrayList<>(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                topics.add("burst/b-" + i % 100);
                payloads.add("{\"ts\":" + i + ",\"temperature\":21.5}");
            }
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                devices.publishAll(topics, payloads, MqttQos.AT_MOST_ONCE);
            }
            long received = Await.until(RECEIVED::get, n -> n >= MESSAGES, Duration.ofSeconds(120));
            Thread.sleep(500); // nothing more may arrive either
            assertThat(received).isEqualTo(MESSAGES);
            assertThat(RECEIVED.get()).isEqualTo(MESSAGES);
        } finally {
            job.cancel().get();
        }
    }

    /** Takes about 10,000 messages per second: far slower than the publisher. */
    private static final class SlowCountingSink implements Sink<MqttMessage> {
        @Override
        public SinkWriter<MqttMessage> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(MqttMessage message, Context ctx) throws InterruptedException {
                    if (RECEIVED.incrementAndGet() % 10 == 0) {
                        Thread.sleep(1);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
