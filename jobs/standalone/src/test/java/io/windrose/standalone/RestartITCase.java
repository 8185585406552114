package io.windrose.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The standalone job stopped and started again the ways it happens to users — a clean stop (SIGTERM, as
 * {@code local-cluster/down} sends it) or a {@code kill -9} in the middle of a window, a changed pipeline — each run
 * its own {@code java -jar windrose-job.jar} process against real Mosquitto, Kafka and InfluxDB. Twenty sensors send
 * one reading a second of event time; every reading must be counted exactly once, and published = aggregated + dead
 * letters + late (the conservation check, from the outputs alone).
 */
class RestartITCase {
    private static final long T0 = 1764144000000L; // a multiple of 10 s
    private static final int SENSORS = 20;

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();
    private final KafkaServer kafka = RealServices.kafka();

    @Test
    void aCleanStopInTheMiddleOfAWindowLosesNothing() throws Exception {
        Run run = new Run("clean-stop", "");
        try (JobProcess first = run.start("first").awaitSubscribed(1)) {
            run.publish(0, 105); // window [100 s, 110 s) is open at the stop, with 5 readings of each sensor
            run.awaitCounted(100 * SENSORS);
            assertThat(first.stop()).as("exit code of a clean stop").isZero();
            assertThat(first.logged("Stopped with savepoint")).isTrue();
        }
        try (JobProcess second = run.start("second").awaitSubscribed(1)) {
            assertThat(second.logged("Resuming from savepoint")).as("the log says what it resumed from").isTrue();
            run.publish(105, 210);
            run.close();
            assertThat(run.awaitCounted(210 * SENSORS)).isEqualTo(run.expectedCounts(0, 210));
            run.assertConserved(210 * SENSORS, 0);
        }
    }

    @Test
    void aKillMinus9MidStreamLosesNothing() throws Exception {
        // each sensor's 60 readings arrive in one burst, often inside one checkpoint interval, and a kill right after
        // that checkpoint completes (before its acks reach the broker) brings all of them back: the dedup ring has
        // to hold that many (docs/mqtt-source.md, "Duplicates": last-readings covers what a sensor sends between acks)
        Run run = new Run("kill-9", "dedup: {last-readings: 128}\n");
        try (JobProcess first = run.start("first").awaitSubscribed(1)) {
            run.publish(0, 60);
            run.awaitCounted(30 * SENSORS); // running, readings not yet acked
            // and a checkpoint behind it: a fast job can count these before its first checkpoint completes (seen in CI)
            run.awaitCheckpoint();
            first.kill();
            run.publish(60, 105); // the broker keeps them for the job's session
        }
        try (JobProcess second = run.start("second").awaitSubscribed(1)) {
            assertThat(second.logged("Resuming from checkpoint")).isTrue();
            run.publish(105, 210);
            run.close();
            assertThat(run.awaitCounted(210 * SENSORS)).isEqualTo(run.expectedCounts(0, 210));
            run.assertConserved(210 * SENSORS, 0);
        }
    }

    @Test
    void resumesWithAChangedRuleAndTwoReadersEachMessageReadOnce() throws Exception {
        // without the dedup stage a message read by both readers would be counted twice
        Run run = new Run("rescale", "dedup: {enabled: false}\n");
        try (JobProcess first = run.start("first", "--set", "rules=[{name: hot, field: temperature, above: 5}]")
                .awaitSubscribed(1)) {
            run.publish(0, 55);
            run.awaitCounted(50 * SENSORS);
            assertThat(first.stop()).isZero();
        }
        try (JobProcess second = run.start("second", "--set", "job.parallelism=2", "--set",
                "rules=[{name: hot, field: temperature, above: 5}, {name: cold, field: temperature, below: 1}]")
                .awaitSubscribed(2)) {
            assertThat(second.logged("Resuming from savepoint")).isTrue();
            assertThat(second.logged("removed any of [rescale/+/+]")).as("reader 0's single-reader subscription").isTrue();
            run.publish(55, 110);
            run.close();
            assertThat(run.awaitCounted(110 * SENSORS)).isEqualTo(run.expectedCounts(0, 110));
            run.assertConserved(110 * SENSORS, 0);
            List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), run.name + ".alerts",
                    AlertEvent.class, 1, Duration.ofSeconds(30));
            assertThat(alerts).extracting(a -> a.value().getRule()).as("the new rule runs").contains("cold");
        }
    }

    @Test
    void aReadingForAWindowEmittedBeforeTheRestoreGoesLateAndLeavesThePointAlone() throws Exception {
        Run run = new Run("late-after-restore", "");
        try (JobProcess first = run.start("first").awaitSubscribed(1)) {
            run.publish(0, 25);
            run.awaitCounted(20 * SENSORS);
            assertThat(first.stop()).isZero();
        }
        try (JobProcess second = run.start("second").awaitSubscribed(1)) {
            // a device sends an old reading again, with another value (so dedup cannot take it for a redelivery)
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                device.publish(run.root + "/site/s-3", "{\"ts\":" + (T0 + 4_500) + ",\"temperature\":99}");
            }
            run.published++;
            run.publish(25, 40);
            run.close();
            Map<String, Long> counts = run.awaitCounted(40 * SENSORS);
            assertThat(counts).isEqualTo(run.expectedCounts(0, 40));
            assertThat(run.influxMax("s-3", 0)).as("the stored point is not replaced").isEqualTo(6.0);
            List<TestKafka.Keyed<SensorReading>> late = TestKafka.read(kafka.bootstrapServers(), run.name + ".late",
                    SensorReading.class, 1, Duration.ofSeconds(30));
            assertThat(late).extracting(r -> r.value().getFields().get("temperature")).containsExactly(99.0);
            run.assertConserved(40 * SENSORS, 1);
        }
    }

    @Test
    void aChangedWindowSizeRefusesToResumeNamingTheOperatorAndFreshStartsEmpty() throws Exception {
        Run run = new Run("fresh", "");
        try (JobProcess first = run.start("first").awaitSubscribed(1)) {
            run.publish(0, 15); // window [10 s, 20 s) open at the stop with 5 readings of each sensor
            run.awaitCounted(10 * SENSORS);
            assertThat(first.stop()).isZero();
        }
        try (JobProcess resized = run.start("resized", "--set", "window.size=30s")) {
            assertThat(resized.awaitExit()).as("exit code").isEqualTo(2);
            assertThat(String.join("\n", resized.log())).contains("cannot resume").contains("window-aggregates-10s")
                    .contains("--fresh");
        }
        try (JobProcess fresh = run.start("fresh", "--fresh").awaitSubscribed(1)) {
            assertThat(fresh.logged("dropped the saved state")).isTrue();
            assertThat(fresh.logged("No saved state")).isTrue();
            run.publish(15, 30);
            run.close();
            Map<String, Long> counts = run.awaitCounted(10 * SENSORS + 10 * SENSORS + 5 * SENSORS);
            Map<String, Long> expected = run.expectedCounts(0, 30);
            // the window open at the stop lost its first five readings with the dropped state, as asked
            for (int s = 0; s < SENSORS; s++) {
                expected.put("s-" + s + "@10000", 5L);
            }
            assertThat(counts).isEqualTo(expected);
        }
    }

    /** One scenario's job: its own database, Kafka topics, MQTT client ids, topic root and state directory. */
    private final class Run {
        final String name;
        final String root;
        final Path dir;
        final Path pipeline;
        int published;

        Run(String name, String extra) throws IOException {
            this.name = name;
            this.root = name;
            this.dir = RealServices.newDirectory(name);
            influx.createDatabase(db());
            // the services, with this run's own state directory (relative to the pipeline file)
            String services = TestPipelines.services(name, mosquitto, influx, db(), kafka)
                    .replace("job:\n", "job:\n  state-dir: state\n");
            this.pipeline = Files.writeString(dir.resolve("pipeline.yaml"), services + """
                    routes:
                      - name: readings
                        topic-template: %s/{site}/{sensor}
                    event-time:
                      max-out-of-orderness: 1s
                    """.formatted(root) + extra);
        }

        String db() {
            return name.replace('-', '_');
        }

        JobProcess start(String run, String... args) throws IOException {
            return JobProcess.start(dir, run, pipeline, args);
        }

        /** Readings i in [from, to): each sensor one a second of event time, interleaved by time. */
        void publish(int from, int to) {
            List<String> topics = new ArrayList<>();
            List<String> payloads = new ArrayList<>();
            for (int i = from; i < to; i++) {
                for (int s = 0; s < SENSORS; s++) {
                    topics.add(root + "/site/s-" + s);
                    payloads.add("{\"ts\":" + (T0 + i * 1_000L) + ",\"temperature\":" + (i % 7) + "}");
                }
            }
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
            }
            published += topics.size();
        }

        /** Closes every window so far with a reading of another sensor far ahead. */
        void close() {
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                devices.publish(root + "/site/closer", "{\"ts\":" + (T0 + 3_600_000) + ",\"temperature\":0}");
            }
            published++;
        }

        /** Waits until the job's state directory holds a completed checkpoint. */
        void awaitCheckpoint() {
            StateDirectory state = new StateDirectory(dir.resolve("state").toString());
            Await.until(state::latest, Optional::isPresent, Duration.ofSeconds(30));
        }

        /** temperature_count per sensor@window offset, once they add up to {@code readings}. */
        Map<String, Long> awaitCounted(long readings) {
            return Await.until(this::counts, c -> c.values().stream().mapToLong(Long::longValue).sum() >= readings,
                    Duration.ofSeconds(90));
        }

        Map<String, Long> counts() {
            Map<String, Long> counts = new TreeMap<>();
            for (Map<String, Object> row : InfluxQuery.rows(influx, db(), "SELECT temperature_count, sensor FROM readings"
                    + " WHERE sensor != 'closer'")) {
                counts.put(row.get("sensor") + "@" + (((Number) row.get("time")).longValue() - T0),
                        ((Number) row.get("temperature_count")).longValue());
            }
            return counts;
        }

        /** Each sensor's count in each 10 s window of readings [from, to) (whole windows). */
        Map<String, Long> expectedCounts(int from, int to) {
            Map<String, Long> counts = new TreeMap<>();
            for (int s = 0; s < SENSORS; s++) {
                for (int w = from / 10; w < (to + 9) / 10; w++) {
                    counts.put("s-" + s + "@" + w * 10_000L, (long) Math.min(10, to - w * 10));
                }
            }
            return counts;
        }

        double influxMax(String sensor, long windowOffset) {
            return ((Number) InfluxQuery.rows(influx, db(), "SELECT temperature_max FROM readings WHERE sensor = '" + sensor
                    + "' AND time = " + (T0 + windowOffset) + "ms").get(0).get("temperature_max")).doubleValue();
        }

        /** Published = aggregated + dead letters + late + the closing reading's open window. */
        void assertConserved(long aggregatedReadings, int late) {
            long aggregated = counts().values().stream().mapToLong(Long::longValue).sum();
            int dead = TestKafka.read(kafka.bootstrapServers(), name + ".deadletters", DeadLetter.class, 0,
                    Duration.ofSeconds(2)).size();
            int lateSeen = TestKafka.read(kafka.bootstrapServers(), name + ".late", SensorReading.class, late,
                    Duration.ofSeconds(10)).size();
            assertThat(aggregated).isEqualTo(aggregatedReadings);
            assertThat(dead).isZero();
            assertThat(lateSeen).isEqualTo(late);
            assertThat((long) published).as("published = aggregated + dead + late + 1 open window")
                    .isEqualTo(aggregated + dead + lateSeen + 1);
        }
    }
}
