package io.windrose.flink.connector.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** One writer against a real Mosquitto (or none): what flush waits for, retries, the rate limit and the counters. */
class MqttSinkWriterITCase {
    private static final MosquittoServer mosquitto = TestBroker.mosquitto();

    @Test
    void flushLeavesNothingUnacknowledgedAndTheCountersCountEachRecord() throws Exception {
        String prefix = "w-" + UUID.randomUUID();
        Mqtt5BlockingClient subscriber = subscriber(prefix);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Counters counters = new Counters();
            try (MqttSinkWriter<String> writer = writer(builder(prefix, mosquitto.uri()), prefix, counters)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!writer.connected() && System.nanoTime() < deadline) {
                    Thread.sleep(10); // a publish before the connection fails at once and is retried (not counted here)
                }
                for (int i = 0; i < 20; i++) {
                    writer.write("m" + i, null);
                }
                writer.flush(false);
                assertThat(writer.inFlight()).isZero();
                assertThat(counters.numRecordsSend.getCount()).isEqualTo(20);
                assertThat(counters.get("sent")).as("acknowledged").isEqualTo(20);
                assertThat(counters.get("failed")).isZero();
            }
            for (int i = 0; i < 20; i++) {
                assertThat(publishes.receive(10, TimeUnit.SECONDS)).isPresent();
            }
        } finally {
            subscriber.disconnect();
        }
    }

    @Test
    void aPublishNeverAcknowledgedIsRetriedThenFlushFailsNamingTheRetryTimeout() throws Exception {
        String prefix = "w-down-" + UUID.randomUUID();
        Counters counters = new Counters();
        try (MqttSinkWriter<String> writer = writer(builder(prefix, "tcp://127.0.0.1:" + Ports.free())
                .setRetryTimeout(Duration.ofSeconds(2)).setReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200)),
                prefix, counters)) {
            writer.write("x", null);
            long start = System.nanoTime();
            assertThatThrownBy(() -> writer.flush(false)).isInstanceOf(IOException.class)
                    .hasMessageContaining("not acknowledged within 2 s (sink.retry-timeout)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            assertThat(counters.get("failed")).as("failed attempts").isGreaterThan(1);
            assertThat(counters.get("sent")).isZero();
        }
    }

    @Test
    void atMostOnceDoesNotWaitAtFlush() throws Exception {
        String prefix = "w-amo-" + UUID.randomUUID();
        Counters counters = new Counters();
        try (MqttSinkWriter<String> writer = writer(builder(prefix, "tcp://127.0.0.1:" + Ports.free())
                .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_MOST_ONCE), prefix, counters)) {
            writer.write("x", null);
            long start = System.nanoTime();
            writer.flush(false);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(writer.inFlight()).isZero();
            assertThat(counters.numRecordsSend.getCount()).isEqualTo(1);
        }
    }

    @Test
    void maxRecordsPerSecondHoldsTheWriterBack() throws Exception {
        String prefix = "w-rate-" + UUID.randomUUID();
        try (MqttSinkWriter<String> writer = writer(builder(prefix, mosquitto.uri()).setMaxRecordsPerSecond(5), prefix,
                new Counters())) {
            long start = System.nanoTime();
            for (int i = 0; i < 11; i++) { // 5 in the first second, 5 in the second, 1 in the third
                writer.write("r" + i, null);
            }
            writer.flush(false);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
        }
    }

    private static MqttSinkBuilder<String> builder(String prefix, String server) {
        return MqttSink.<String>builder().setServers(List.of(server)).setClientIdPrefix(prefix)
                .setSerializationSchema(s -> MqttOutgoingRecord.builder(prefix + "/" + s,
                        s.getBytes(StandardCharsets.UTF_8)).build());
    }

    private static MqttSinkWriter<String> writer(MqttSinkBuilder<String> builder, String prefix, Counters counters) {
        MqttSink<String> sink = builder.build();
        return new MqttSinkWriter<>(sink.options(), s -> MqttOutgoingRecord.builder(prefix + "/" + s,
                s.getBytes(StandardCharsets.UTF_8)).build(), prefix + "-0", counters.group, "test");
    }

    private static Mqtt5BlockingClient subscriber(String prefix) {
        Mqtt5BlockingClient client = MqttClient.builder().identifier("sub-" + prefix).serverHost("127.0.0.1")
                .serverPort(mosquitto.port()).useMqttVersion5().buildBlocking();
        client.connect();
        return client;
    }

    /** A sink writer metric group that keeps numRecordsSend and the counters of the writer's own group. */
    private static final class Counters {
        final Map<String, Counter> own = new ConcurrentHashMap<>();
        final Counter numRecordsSend = new SimpleCounter();
        final SinkWriterMetricGroup group = new Group();

        long get(String name) {
            Counter counter = own.get(name);
            return counter == null ? -1 : counter.getCount();
        }

        private final class Group extends UnregisteredMetricsGroup implements SinkWriterMetricGroup {
            @Override
            public MetricGroup addGroup(String name) {
                return new UnregisteredMetricsGroup() {
                    @Override
                    public <C extends Counter> C counter(String counterName, C counter) {
                        own.put(counterName, counter);
                        return counter;
                    }
                };
            }

            @Override
            public OperatorIOMetricGroup getIOMetricGroup() {
                return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
            }

            @Override
            public Counter getNumRecordsOutErrorsCounter() {
                return new SimpleCounter();
            }

            @Override
            public Counter getNumRecordsSendErrorsCounter() {
                return new SimpleCounter();
            }

            @Override
            public Counter getNumRecordsSendCounter() {
                return numRecordsSend;
            }

            @Override
            public Counter getNumBytesSendCounter() {
                return new SimpleCounter();
            }

            @Override
            public void setCurrentSendTimeGauge(Gauge<Long> gauge) {}
        }
    }
}
