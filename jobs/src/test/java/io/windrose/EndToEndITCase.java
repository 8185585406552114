package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.windrose.history.ArchiveRecords;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestKafka.Keyed;
import io.windrose.testing.TestMqtt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One reading's whole journey against real servers: MQTT publish to Mosquitto → the Windrose job in a mini-cluster →
 * exact aggregates in InfluxDB (InfluxQL) and on Kafka (Avro), alert RAISED and CLEARED, and a dead letter.
 */
class EndToEndITCase {
    /**
     * Ten minutes ago, a whole minute: recent, because records carry their event time as Kafka timestamp and the
     * archive topic's 30-day retention deleted a fixed date's readings a year back when the broker's retention check
     * came during the test.
     */
    private static final long T0 = (System.currentTimeMillis() - 600_000) / 60_000 * 60_000;
    private static final String DB = "e2e";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void readingsBecomeAggregatesAlertsAndDeadLettersInInfluxAndKafka() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        KafkaServer kafka = RealServices.kafka();
        InfluxServer influx = RealServices.influx();
        jobs.startWithServices(DB, true, """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                    format: json
                event-time:
                  max-out-of-orderness: 1s
                rules:
                  - name: too-hot
                    field: temperature
                    above: 30
                    level: critical
                """);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publish("sensors/site-a/s-1", reading("s-1", 1_000, 21.0, 40.0));
            devices.publish("sensors/site-b/s-2", reading("s-2", 2_000, 18.5, null));
            devices.publish("sensors/site-b/s-2", reading("s-2", 3_000, 19.5, null));
            devices.publish("sensors/site-b/s-2", reading("s-2", 4_000, 20.0, null));
            devices.publish("sensors/site-a/s-1", reading("s-1", 5_000, 35.0, 42.0));
            devices.publish("sensors/site-a/s-3", reading("s-3", 6_000, 25.0, 50.0));
            devices.publish("sensors/site-a/s-9", "{\"sensor\":\"s-9\",\"ts\":"); // truncated: a dead letter
            devices.publish("sensors/site-b/s-2", reading("s-2", 11_000, 10.0, null));
            devices.publish("sensors/site-a/s-1", reading("s-1", 12_000, 22.0, 44.0));
            devices.publish("sensors/site-a/s-1", reading("s-1", 15_000, 23.0, 46.0));
            // moves the watermark past the second window (t0+20s + 1s out-of-orderness)
            devices.publish("sensors/site-a/s-3", reading("s-3", 30_000, 26.0, 51.0));
        }

        // InfluxDB: one row per sensor and window, fields <field>_<stat>, tags sensor/site/window, time = window start
        String select = "SELECT * FROM sensors WHERE time >= " + T0 + "ms AND time < " + (T0 + 20_000) + "ms";
        List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, DB, select), r -> r.size() >= 5,
                Duration.ofSeconds(60));
        assertThat(rows).hasSize(5);
        Map<String, Map<String, Object>> byKey = rows.stream().collect(Collectors.toMap(
                r -> r.get("sensor") + "@" + (((Number) r.get("time")).longValue() - T0), Function.identity()));
        assertThat(byKey).containsOnlyKeys("s-1@0", "s-1@10000", "s-2@0", "s-2@10000", "s-3@0");
        assertRow(byKey.get("s-1@0"), "site-a", 2, 21.0, 35.0, 28.0, 56.0, 35.0);
        assertThat(num(byKey.get("s-1@0"), "humidity_mean")).isEqualTo(41.0);
        assertThat(num(byKey.get("s-1@0"), "humidity_last")).isEqualTo(42.0);
        assertRow(byKey.get("s-1@10000"), "site-a", 2, 22.0, 23.0, 22.5, 45.0, 23.0);
        assertRow(byKey.get("s-2@0"), "site-b", 3, 18.5, 20.0, 58.0 / 3, 58.0, 20.0);
        assertThat(byKey.get("s-2@0").get("humidity_count")).isNull();
        assertRow(byKey.get("s-2@10000"), "site-b", 1, 10.0, 10.0, 10.0, 10.0, 10.0);
        assertRow(byKey.get("s-3@0"), "site-a", 1, 25.0, 25.0, 25.0, 25.0, 25.0);

        // Kafka: the same aggregates, Avro, keyed by sensor id
        List<Keyed<SensorAggregate>> aggregates = TestKafka.read(kafka.bootstrapServers(), "e2e.aggregates",
                SensorAggregate.class, 5, Duration.ofSeconds(60));
        assertThat(aggregates).hasSize(5);
        for (Keyed<SensorAggregate> record : aggregates) {
            SensorAggregate aggregate = record.value();
            assertThat(record.key()).isEqualTo(aggregate.getSensorId());
            assertThat(aggregate.getMeasurement()).isEqualTo("sensors");
            assertThat(aggregate.getWindow()).isEqualTo("10s");
            long start = aggregate.getWindowStart().toEpochMilli() - T0;
            assertThat(aggregate.getWindowEnd().toEpochMilli() - T0).isEqualTo(start + 10_000);
            Map<String, Object> row = byKey.get(aggregate.getSensorId() + "@" + start);
            assertThat(row).as("InfluxDB row for %s@%d", aggregate.getSensorId(), start).isNotNull();
            assertThat(aggregate.getTags()).containsExactly(Map.entry("site", (String) row.get("site")));
            FieldStats t = aggregate.getFields().get("temperature");
            assertThat(t.getCount()).isEqualTo(num(row, "temperature_count").longValue());
            assertThat(t.getMin()).isEqualTo(num(row, "temperature_min"));
            assertThat(t.getMax()).isEqualTo(num(row, "temperature_max"));
            assertThat(t.getMean()).isCloseTo(num(row, "temperature_mean"), within(1e-9));
            assertThat(t.getSum()).isEqualTo(num(row, "temperature_sum"));
            assertThat(t.getLast()).isEqualTo(num(row, "temperature_last"));
        }

        // the alert: RAISED by 35.0 > 30 and CLEARED by 22.0, in Kafka and in InfluxDB
        List<Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), "e2e.alerts", AlertEvent.class, 2,
                Duration.ofSeconds(30));
        assertThat(alerts).extracting(a -> a.value().getState(), a -> a.value().getValue(), a -> a.key())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(AlertState.RAISED, 35.0, "s-1"),
                        org.assertj.core.groups.Tuple.tuple(AlertState.CLEARED, 22.0, "s-1"));
        assertThat(alerts.get(0).value().getRule()).isEqualTo("too-hot");
        assertThat(alerts.get(0).value().getLevel()).isEqualTo("critical");
        assertThat(alerts.get(0).value().getThreshold()).isEqualTo(30.0);
        assertThat(alerts.get(0).value().getEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 5_000));
        List<Map<String, Object>> alertRows = Await.until(
                () -> InfluxQuery.rows(influx, DB, "SELECT * FROM alerts"), r -> r.size() >= 2, Duration.ofSeconds(30));
        assertThat(alertRows).extracting(r -> r.get("sensor"), r -> r.get("rule"), r -> r.get("level"),
                r -> r.get("state"), r -> num(r, "value"), r -> num(r, "threshold"), r -> num(r, "time").longValue() - T0)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("s-1", "too-hot", "critical", "RAISED", 35.0, 30.0, 5_000L),
                        org.assertj.core.groups.Tuple.tuple("s-1", "too-hot", "critical", "CLEARED", 22.0, 30.0, 12_000L));

        // the truncated payload: one dead letter with its reason, topic and raw bytes
        List<Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), "e2e.deadletters", DeadLetter.class, 1,
                Duration.ofSeconds(30));
        assertThat(dead).hasSize(1);
        DeadLetter letter = dead.get(0).value();
        assertThat(letter.getReason()).isEqualTo("MALFORMED");
        assertThat(letter.getTopic()).isEqualTo("sensors/site-a/s-9");
        assertThat(letter.getSensorId()).isEqualTo("s-9");
        assertThat(dead.get(0).key()).isEqualTo("s-9");
        assertThat(StandardCharsets.UTF_8.decode(letter.getPayload()).toString()).isEqualTo("{\"sensor\":\"s-9\",\"ts\":");

        // the archive: every reading the windows were offered (not the dead letter), keyed by sensor id, kept 30 days
        List<Keyed<SensorReading>> archived = TestKafka.read(kafka.bootstrapServers(), "e2e.readings",
                SensorReading.class, 10, Duration.ofSeconds(30));
        assertThat(archived).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getSensorId()));
        assertThat(archived).extracting(r -> r.value().getSensorId(), r -> r.value().getEventTime().toEpochMilli() - T0)
                .containsExactlyInAnyOrder(tuple("s-1", 1_000L), tuple("s-2", 2_000L), tuple("s-2", 3_000L),
                        tuple("s-2", 4_000L), tuple("s-1", 5_000L), tuple("s-3", 6_000L), tuple("s-2", 11_000L),
                        tuple("s-1", 12_000L), tuple("s-1", 15_000L), tuple("s-3", 30_000L));
        // each with the watermark the windows judged it by (for replay): never falling, in the order they were offered
        List<Long> stamps = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "auto.offset.reset", "earliest", "group.id", "e2e-archive-headers"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("e2e.readings"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stamps.size() < 10 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> stamps.add(ArchiveRecords.watermark(record.headers())));
            }
        }
        assertThat(stamps).hasSize(10).doesNotContainNull().isSorted().allMatch(stamp -> stamp < T0 + 30_000);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "e2e.readings");
            assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic).get("retention.ms").value())
                    .as("sinks.kafka.readings-retention, 30 days by default").isEqualTo(String.valueOf(30L * 24 * 3600 * 1000));
        }
    }

    private static String reading(String sensor, long offsetMs, double temperature, Double humidity) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + (T0 + offsetMs) + ",\"temperature\":" + temperature
                + (humidity == null ? "" : ",\"humidity\":" + humidity) + "}";
    }

    private static void assertRow(Map<String, Object> row, String site, long count, double min, double max, double mean,
            double sum, double last) {
        assertThat(row.get("site")).isEqualTo(site);
        assertThat(row.get("window")).isEqualTo("10s");
        assertThat(num(row, "temperature_count").longValue()).isEqualTo(count);
        assertThat(num(row, "temperature_min")).isEqualTo(min);
        assertThat(num(row, "temperature_max")).isEqualTo(max);
        assertThat(num(row, "temperature_mean")).isCloseTo(mean, within(1e-9));
        assertThat(num(row, "temperature_sum")).isEqualTo(sum);
        assertThat(num(row, "temperature_last")).isEqualTo(last);
    }

    private static Double num(Map<String, Object> row, String column) {
        Object value = row.get(column);
        return value == null ? null : ((Number) value).doubleValue();
    }
}
