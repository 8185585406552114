package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/**
 * The writer's answer to each kind of failure. A stub client stands in for InfluxDB here, because a real influxd
 * cannot be made to answer 429 with a Retry-After; outages, refused points and credentials run against the real
 * server in InfluxOutageITCase and InfluxRejectionAndInjectionITCase.
 */
class InfluxDbWriterRetryTest {
    /** Answers each write with the next outcome: null = success, else that failure. */
    private static final class ScriptedClient implements LineProtocolClient {
        final List<InfluxWriteException> script = new ArrayList<>();
        final List<Long> attemptsAtMs = new ArrayList<>();
        final List<List<String>> written = new ArrayList<>();
        final long start = System.nanoTime();

        @Override
        public void write(List<String> lines) throws InfluxWriteException {
            attemptsAtMs.add((System.nanoTime() - start) / 1_000_000);
            InfluxWriteException next = script.isEmpty() ? null : script.remove(0);
            if (next != null) {
                throw next;
            }
            written.add(List.copyOf(lines));
        }

        @Override
        public void delete(PointDeletion point) {
            throw new AssertionError("no deletions here");
        }

        @Override
        public void close() {}
    }

    private static InfluxDbConfig config(Duration retryTimeout) {
        InfluxDbConfig config = new InfluxDbConfig();
        config.url = "http://127.0.0.1:1";
        config.bucket = "b";
        config.batchSize = 100;
        config.retryInitialDelay = Duration.ofMillis(10);
        config.retryMaxDelay = Duration.ofMillis(40);
        config.retryTimeout = retryTimeout;
        return config;
    }

    /** No linger timers: the tests flush themselves. */
    private static final ProcessingTimeService NO_TIMERS = new ProcessingTimeService() {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    };

    private final List<String> written = new ArrayList<>();

    private static InfluxDbWriter<Integer> writer(LineProtocolClient client, Duration retryTimeout) {
        return new InfluxDbWriter<>(config(retryTimeout), client, null,
                i -> LinePoint.measurement("m").addTag("sensor", "s" + i).addField("v", i).time(1L),
                i -> "s" + i, NO_TIMERS, UnregisteredMetricsGroup.createSinkWriterMetricGroup());
    }

    @Test
    void throttlingIsRetriedAfterTheServersRetryAfter() throws Exception {
        ScriptedClient client = new ScriptedClient();
        client.script.add(new InfluxWriteException(429, "too many requests", 300, null));
        client.script.add(new InfluxWriteException(503, "unavailable", -1, null));
        InfluxDbWriter<Integer> writer = writer(client, Duration.ofMinutes(1));
        writer.write(1, null);
        writer.flush(false);
        assertThat(client.attemptsAtMs).hasSize(3);
        assertThat(client.attemptsAtMs.get(1) - client.attemptsAtMs.get(0)).as("Retry-After 300 ms").isGreaterThanOrEqualTo(300);
        assertThat(client.attemptsAtMs.get(2) - client.attemptsAtMs.get(1)).as("back-off, at most the max delay")
                .isLessThan(300);
        assertThat(client.written).hasSize(1);
    }

    @Test
    void givesUpAfterTheRetryTimeoutSoThatFlinkRestartsTheJob() {
        ScriptedClient client = new ScriptedClient();
        for (int i = 0; i < 1000; i++) {
            client.script.add(new InfluxWriteException(0, "connection refused", -1, null));
        }
        InfluxDbWriter<Integer> writer = writer(client, Duration.ofMillis(300));
        assertThatThrownBy(() -> {
            writer.write(1, null);
            writer.flush(false);
        }).isInstanceOf(IOException.class).hasMessageContaining("retry-timeout");
    }

    @Test
    void wrongCredentialsFailAtOnceNamingTheKeys() {
        ScriptedClient client = new ScriptedClient();
        client.script.add(new InfluxWriteException(401, "unauthorized", -1, null));
        InfluxDbWriter<Integer> writer = writer(client, Duration.ofMinutes(1));
        assertThatThrownBy(() -> {
            writer.write(1, null);
            writer.flush(false);
        }).isInstanceOf(IOException.class).hasMessageContaining("sinks.influxdb");
        assertThat(client.attemptsAtMs).hasSize(1);
    }

    @Test
    void aRefusedPointIsSplitOutOfItsBatchAndTheRestIsWritten() throws Exception {
        // refuses every batch that holds point 5, as InfluxDB refuses a request with one bad line
        LineProtocolClient client = new LineProtocolClient() {
            @Override
            public void write(List<String> lines) throws InfluxWriteException {
                if (lines.stream().anyMatch(l -> l.contains("sensor=s5 "))) {
                    throw new InfluxWriteException(400, "partial write: field type conflict", -1, null);
                }
                written.addAll(lines);
            }

            @Override
            public void delete(PointDeletion point) {
                throw new AssertionError("no deletions here");
            }

            @Override
            public void close() {}
        };
        InfluxDbWriter<Integer> writer = writer(client, Duration.ofMinutes(1));
        for (int i = 0; i < 8; i++) {
            writer.write(i, null);
        }
        writer.flush(false); // no Kafka here: the refused point is logged and counted
        assertThat(written).hasSize(7).noneMatch(l -> l.contains("sensor=s5 "));
    }

    @Test
    void anElementWhosePointHasNoFieldIsCountedAndNotSent() throws Exception {
        ScriptedClient client = new ScriptedClient();
        Map<String, Counter> counters = new HashMap<>();
        MetricGroup metrics = new UnregisteredMetricsGroup() {
            @Override
            public Counter counter(String name) {
                return counter(name, new SimpleCounter());
            }

            @Override
            public <C extends Counter> C counter(String name, C counter) {
                counters.put(name, counter);
                return counter;
            }

            @Override
            public MetricGroup addGroup(String name) {
                return this;
            }
        };
        // odd elements have no field with a value (a NaN is left out, as a null is)
        InfluxDbWriter<Integer> writer = new InfluxDbWriter<>(config(Duration.ofMinutes(1)), client, null,
                i -> LinePoint.measurement("m").addTag("sensor", "s" + i)
                        .addField("v", i % 2 == 0 ? (Number) i : (Number) Double.NaN),
                i -> "s" + i, NO_TIMERS, metrics);
        for (int i = 0; i < 4; i++) {
            writer.write(i, null);
        }
        writer.write(5, null);
        writer.flush(false);
        assertThat(client.written).containsExactly(List.of("m,sensor=s0 v=0i", "m,sensor=s2 v=2i"));
        assertThat(counters.get("pointsWithoutFields").getCount()).isEqualTo(3);
        assertThat(counters.get("pointsWritten").getCount()).isEqualTo(2);

        writer.write(7, null); // only elements without fields: no request at all
        writer.flush(false);
        assertThat(client.written).hasSize(1);
        assertThat(counters.get("pointsWithoutFields").getCount()).isEqualTo(4);
    }
}
