package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestKafka.Keyed;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Event time against real servers: a far-future reading cannot make others late, an idle reader does not hold the
 * watermark back, late data is kept or corrects its window.
 */
class EventTimeJobITCase {
    private static final long T0 = 1764144000000L; // a multiple of 10 s

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void aFarFutureReadingDoesNotMakeTheOtherSensorsLate() throws Exception {
        JobClient job = jobs.startWithServices("future", true, """
                routes:
                  - name: future
                    topic-template: future/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                  max-future-skew: 1m
                """);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 30; i++) {
                if (i == 5) { // a device whose clock says 2100
                    devices.publish("future/c", reading(4102444800000L, 1));
                }
                devices.publish("future/a", reading(T0 + i * 1_000L, i));
                devices.publish("future/b", reading(T0 + i * 1_000L, i));
            }
            devices.publish("future/closer", reading(T0 + 60_000, 0));
        }
        String select = "SELECT temperature_count, sensor FROM future WHERE time < " + (T0 + 30_000) + "ms";
        Map<String, Long> counts = Await.until(() -> counts(influx, "future", select), c -> c.size() >= 6,
                Duration.ofSeconds(60));
        assertThat(counts).isEqualTo(Map.of("a@0", 10L, "a@10000", 10L, "a@20000", 10L,
                "b@0", 10L, "b@10000", 10L, "b@20000", 10L));
        List<Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), "future.deadletters", DeadLetter.class,
                1, Duration.ofSeconds(30));
        assertThat(dead).extracting(d -> d.value().getReason(), d -> d.value().getSensorId())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("FUTURE_TIMESTAMP", "c"));
        assertThat(InMemoryMetrics.count("lateReadings")).isZero();
    }

    @Test
    void anIdleReaderDoesNotHoldBackTheWatermark() throws Exception {
        // two readers, each with its own filter; only the first ever gets a message
        JobClient job = jobs.startWithServices("idle", true, """
                routes:
                  - name: idle
                    topics: [idle/busy/+, idle/quiet/+]
                    topic-template: idle/{group}/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                  idleness: 2s
                """, "job.parallelism=2", "mqtt.shared-subscription=false");
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 20; i++) {
                devices.publish("idle/busy/s", reading(T0 + i * 1_000L, i));
            }
            devices.publish("idle/busy/s", reading(T0 + 25_000, 0));
            String select = "SELECT temperature_count, sensor FROM idle WHERE time < " + (T0 + 20_000) + "ms";
            assertThat(Await.until(() -> counts(influx, "idle", select), c -> c.size() >= 2, Duration.ofSeconds(60)))
                    .isEqualTo(Map.of("s@0", 10L, "s@10000", 10L));
        }
    }

    @Test
    void lateReadingsGoToTheLateTopicAndThoseWithinAllowedLatenessCorrectThePointInPlace() throws Exception {
        JobClient job = jobs.startWithServices("late", true, """
                routes:
                  - name: late
                    topic-template: late/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                  allowed-lateness: 5s
                """);
        String first = "SELECT temperature_count, temperature_sum FROM late WHERE sensor = 's' AND time = " + T0 + "ms";
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 10; i++) {
                devices.publish("late/s", reading(T0 + i * 1_000L, 1));
            }
            devices.publish("late/s", reading(T0 + 12_000, 100)); // watermark 11 s: window [0, 10 s) fires
            Await.until(() -> InfluxQuery.rows(influx, "late", first), r -> !r.isEmpty(), Duration.ofSeconds(60));
            assertThat(num(InfluxQuery.rows(influx, "late", first), "temperature_count")).isEqualTo(10);

            devices.publish("late/s", reading(T0 + 5_500, 1)); // late, but within the 5 s allowed lateness
            List<Map<String, Object>> corrected = Await.until(() -> InfluxQuery.rows(influx, "late", first),
                    r -> num(r, "temperature_count") == 11, Duration.ofSeconds(60));
            assertThat(corrected).as("the same point, overwritten").hasSize(1);
            assertThat(num(corrected, "temperature_sum")).isEqualTo(11);

            devices.publish("late/s", reading(T0 + 27_000, 100)); // watermark 26 s: [10 s, 20 s) fires, [0, 10 s) is purged
            Await.until(() -> InfluxQuery.rows(influx, "late", "SELECT * FROM late WHERE time = " + (T0 + 10_000) + "ms"),
                    r -> !r.isEmpty(), Duration.ofSeconds(60));
            devices.publish("late/s", reading(T0 + 3_000, 7)); // beyond the allowed lateness

            List<Keyed<SensorReading>> late = TestKafka.read(kafka.bootstrapServers(), "late.late", SensorReading.class, 1,
                    Duration.ofSeconds(30));
            assertThat(late).extracting(r -> r.key(), r -> r.value().getEventTime().toEpochMilli() - T0,
                    r -> r.value().getFields().get("temperature"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("s", 3_000L, 7.0));
            assertThat(Await.until(() -> InMemoryMetrics.count("lateReadings"), n -> n == 1, Duration.ofSeconds(10)))
                    .isEqualTo(1);
            assertThat(InfluxQuery.rows(influx, "late", first)).as("still one point, not corrected again")
                    .extracting(r -> ((Number) r.get("temperature_count")).longValue()).containsExactly(11L);

            // Kafka keeps both emissions of the corrected window: downstream upserts by sensor and window start
            List<Keyed<SensorAggregate>> aggregates = TestKafka.read(kafka.bootstrapServers(), "late.aggregates",
                    SensorAggregate.class, 3, Duration.ofSeconds(30));
            assertThat(aggregates).extracting(a -> a.value().getWindowStart().toEpochMilli() - T0,
                    a -> a.value().getFields().get("temperature").getCount())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 10L),
                            org.assertj.core.groups.Tuple.tuple(0L, 11L),
                            org.assertj.core.groups.Tuple.tuple(10_000L, 1L));
        }
    }

    private static String reading(long ts, double temperature) {
        return "{\"ts\":" + ts + ",\"temperature\":" + temperature + "}";
    }

    private static Map<String, Long> counts(InfluxServer influx, String db, String select) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : InfluxQuery.rows(influx, db, select)) {
            counts.put(row.get("sensor") + "@" + (((Number) row.get("time")).longValue() - T0),
                    ((Number) row.get("temperature_count")).longValue());
        }
        return counts;
    }

    private static double num(List<Map<String, Object>> rows, String column) {
        return rows.isEmpty() ? -1 : ((Number) rows.get(0).get(column)).doubleValue();
    }
}
