package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.testing.Await;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The alert engine through real Mosquitto, Kafka and InfluxDB. */
class AlertsITCase {
    /**
     * The first reading's event time: ten minutes ago, on a whole minute. Not a fixed date: the readings' event time is
     * the Kafka records' timestamp (CreateTime), and the broker's time-based retention (7 days for the auto-created
     * alerts topic) deletes a segment whose newest timestamp is older than that at its next check (30 s after the
     * broker starts, then every 5 minutes) — records of a fixed date more than 7 days back could vanish before they
     * were read (an exactly-once RAISED sits alone in its segment until its checkpoint commits it).
     */
    private static final long T0 = (System.currentTimeMillis() - Duration.ofMinutes(10).toMillis()) / 60_000 * 60_000;

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void levelsWithHysteresisAndANeverSeenSensorOfTheExpectedList() throws Exception {
        Path dir = RealServices.newDirectory("alerts-expected");
        Path expected = Files.writeString(dir.resolve("expected.txt"), "# sensors that must report\nnever-1 site=site-a\n");
        jobs.startWithServices("alertlevels", true, """
                routes:
                  - name: sensors
                    topic-template: alertlevels/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: {warning: 30, critical: 40}, reset: {warning: 28}}
                  - {name: silent, kind: deadman, after: 3s, expected: %s}
                """.formatted(expected));
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            double[] values = {31, 41, 29, 27};
            for (int i = 0; i < values.length; i++) {
                device.publish("alertlevels/site-a/s-1", "{\"sensor\":\"s-1\",\"ts\":" + (T0 + i * 1_000) + ",\"temperature\":"
                        + values[i] + "}");
            }
        }
        List<TestKafka.Keyed<AlertEvent>> hot = TestKafka.read(kafka.bootstrapServers(), "alertlevels.alerts",
                AlertEvent.class, 5, Duration.ofSeconds(60)).stream().filter(a -> a.value().getRule().equals("hot")).toList();
        assertThat(hot).extracting(a -> a.value().getState() + " " + a.value().getLevel() + " " + a.value().getPreviousLevel())
                .containsExactly("RAISED warning null", "RAISED critical warning", "RAISED warning critical",
                        "CLEARED warning warning");
        List<Map<String, Object>> hotPoints = InfluxQuery.rows(influx, "alertlevels",
                "SELECT state, level, previous_level FROM alerts WHERE rule = 'hot'");
        assertThat(hotPoints).extracting(p -> p.get("state") + " " + p.get("level"))
                .containsExactly("RAISED warning", "RAISED critical", "RAISED warning", "CLEARED warning");

        // never-1 never publishes: the expected list alone makes the deadman rule watch it
        List<Map<String, Object>> silent = Await.until(() -> InfluxQuery.rows(influx, "alertlevels",
                "SELECT state, value, threshold, kind FROM alerts WHERE rule = 'silent' AND sensor = 'never-1'"),
                rows -> !rows.isEmpty(), Duration.ofSeconds(60));
        assertThat(silent.get(0)).containsEntry("state", "RAISED").containsEntry("kind", "deadman");
        assertThat(((Number) silent.get(0).get("threshold")).doubleValue()).isEqualTo(3);
        assertThat(((Number) silent.get(0).get("value")).doubleValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aStuckSensorIsRaisedAfterItsForTimeAndClearedWhenItMoves() throws Exception {
        jobs.startWithServices("alertstuck", true, """
                routes:
                  - name: sensors
                    topic-template: alertstuck/{site}/{sensor}
                rules:
                  - {name: frozen, kind: stuck, field: temperature, for: 5s, tolerance: 0.1, level: critical}
                """);
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            // 20 (give or take 0.05) from 0 s to 7 s, then moving; the last readings move the watermark past 8 s
            double[] values = {20, 20.05, 20, 19.95, 20, 20, 20, 20, 21, 22, 23, 24, 25};
            for (int i = 0; i < values.length; i++) {
                device.publish("alertstuck/site-a/s-1", reading("s-1", T0 + i * 1_000, values[i]));
            }
        }
        List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), "alertstuck.alerts",
                AlertEvent.class, 2, Duration.ofSeconds(90));
        assertThat(alerts).extracting(a -> a.value().getState() + " " + a.value().getLevel() + " "
                + (a.value().getEventTime().toEpochMilli() - T0) + " " + a.value().getValue())
                .containsExactly("RAISED critical 5000 20.0", "CLEARED critical 8000 21.0");
        List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, "alertstuck",
                "SELECT state, value, threshold FROM alerts WHERE kind = 'stuck'"), rows -> rows.size() >= 2,
                Duration.ofSeconds(30));
        assertThat(points).extracting(p -> p.get("state")).containsExactly("RAISED", "CLEARED");
        assertThat(((Number) points.get(0).get("threshold")).doubleValue()).as("for, in seconds").isEqualTo(5);
    }

    @Test
    void aFailureWhileAnAlertIsRaisedGivesExactlyOneRaisedAndOneCleared() throws Exception {
        String name = "alertfailure";
        influx.createDatabase(name);
        PipelineConfig config = TestPipelines.load(name, TestPipelines.services(name, mosquitto, influx, name, kafka) + """
                routes:
                  - name: sensors
                    topic-template: alertfailure/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: 30}
                """, "sinks.kafka.delivery-guarantee=exactly-once", "sinks.kafka.transactional-id-prefix=" + name);
        // the failure comes 30 messages after the first completed checkpoint: the alert is raised by then
        FailOnceAfterCheckpoint.reset(1, 30);
        jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publish("alertfailure/site-a/hot-1", reading("hot-1", T0, 40));
            for (int i = 1; i <= 60; i++) { // a steady trickle from another sensor, across checkpoints and the failure
                devices.publish("alertfailure/site-a/other", reading("other", T0 + i * 100, 20));
                Thread.sleep(50);
            }
            Await.until(FailOnceAfterCheckpoint.FAILED::get, failed -> failed, Duration.ofSeconds(30));
            Thread.sleep(2_000); // restored and running again
            List<String> topics = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            topics.add("alertfailure/site-a/hot-1");
            payloads.add(reading("hot-1", T0 + 10_000, 20));
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
        List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                AlertEvent.class, 2, Duration.ofSeconds(60));
        assertThat(alerts).extracting(a -> a.value().getSensorId() + " " + a.value().getState())
                .as("read_committed: once each").containsExactly("hot-1 RAISED", "hot-1 CLEARED");
        List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, name,
                "SELECT state FROM alerts WHERE sensor = 'hot-1'"), rows -> rows.size() >= 2, Duration.ofSeconds(30));
        assertThat(points).extracting(p -> p.get("state")).containsExactly("RAISED", "CLEARED");
    }

    @Test
    void anAnomalyIsRaisedCriticalAfterWarmUpAndAFailureBetweenWarmUpAndTheJumpKeepsTheBaseline() throws Exception {
        String name = "alertodd";
        influx.createDatabase(name);
        PipelineConfig config = TestPipelines.load(name, TestPipelines.services(name, mosquitto, influx, name, kafka) + """
                routes:
                  - name: sensors
                    topic-template: alertodd/{site}/{sensor}
                rules:
                  - {name: odd, kind: anomaly, field: temperature, sigma: {warning: 3, critical: 5}, min-samples: 30}
                """);
        // the failure comes 5 messages after the first completed checkpoint that covers 30: by then at least 30 of
        // s-1's 40 warm-up readings are in the checkpoint, and fewer than 30 are delivered again after the restore
        FailOnceAfterCheckpoint.reset(30, 5);
        jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        java.util.Random random = new java.util.Random(1);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            // 20 ± 0.5 from s-1; the jump to 25 during the warm-up (the 10th reading) is learned, not raised
            for (int i = 0; i < 40; i++) {
                devices.publish("alertodd/site-a/s-1", reading("s-1", T0 + i * 1_000, i == 9 ? 25 : 19.5 + random.nextDouble()));
                Thread.sleep(20);
            }
            for (int i = 0; i < 200 && !FailOnceAfterCheckpoint.FAILED.get(); i++) { // a trickle until the failure
                devices.publish("alertodd/site-a/other", reading("other", T0 + i * 100, 20));
                Thread.sleep(50);
            }
            Await.until(FailOnceAfterCheckpoint.FAILED::get, failed -> failed, Duration.ofSeconds(30));
            Thread.sleep(2_000); // restored and running again
            List<String> topics = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            double[] after = {29, 20, 20, 20, 20, 20}; // 29: 9 °C off a baseline of 20 with the warm-up's 25 in it
            for (int i = 0; i < after.length; i++) {
                topics.add("alertodd/site-a/s-1");
                payloads.add(reading("s-1", T0 + (40 + i) * 1_000, after[i]));
            }
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
        List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                AlertEvent.class, 2, Duration.ofSeconds(60));
        assertThat(alerts).extracting(a -> a.value().getSensorId() + " " + a.value().getState() + " " + a.value().getLevel()
                + " " + (a.value().getEventTime().toEpochMilli() - T0) + " " + a.value().getValue())
                .as("nothing during the warm-up; after the restore the baseline is warm")
                .containsExactly("s-1 RAISED critical 40000 29.0", "s-1 CLEARED critical 41000 20.0");
        AlertEvent raised = alerts.get(0).value();
        assertThat(raised.getKind()).isEqualTo("anomaly");
        assertThat(raised.getThreshold()).as("the sigma crossed").isEqualTo(5);
        assertThat(raised.getScore()).isGreaterThan(5.0);
        List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, name,
                "SELECT state, level, score, threshold FROM alerts WHERE kind = 'anomaly'"), rows -> rows.size() >= 2,
                Duration.ofSeconds(30));
        assertThat(points).extracting(p -> p.get("state") + " " + p.get("level"))
                .containsExactly("RAISED critical", "CLEARED critical");
        assertThat(((Number) points.get(0).get("score")).doubleValue()).isEqualTo(raised.getScore());
    }

    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }
}
