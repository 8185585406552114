package io.windrose.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.WindroseJob;
import io.windrose.localcluster.FlinkRest;
import io.windrose.localcluster.FlinkSessionCluster;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar on a real Flink 2.2 session cluster of separate JVMs (a JobManager and two TaskManagers, class path of
 * a Flink distribution, REST and Web UI), submitted through the REST API as operators do, against real Mosquitto and
 * InfluxDB: exact aggregates; stop with a savepoint and a restore with parallelism 2 count every reading once; a
 * TaskManager killed with SIGKILL mid-stream loses and doubles nothing.
 */
class FlinkSessionClusterITCase {
    private static final Path JAR = Path.of(System.getProperty("windrose.cluster.jar", "target/windrose-job-cluster.jar"));
    private static final Path FLINK_CLASSPATH = Path.of(System.getProperty("windrose.flink.classpath",
            "../local-cluster/flink/target/flink.classpath"));
    private static final long T0 = 1764144000000L;
    private static final int SENSORS = 10;

    private static FlinkSessionCluster cluster;
    private static FlinkRest rest;
    private static String jarId;
    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new FlinkSessionCluster(RealServices.newDirectory("flink-session"), Ports.free(), 2, FLINK_CLASSPATH,
                Map.of()).start();
        rest = cluster.rest();
        jarId = rest.upload(JAR);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theProcessesWorkInTheClustersDirectoryNotInTmp() throws Exception {
        // killed TaskManagers had left their working directories (blobs, local state: 160 MB each) in /tmp
        try (Stream<Path> entries = Files.list(cluster.tmpDir())) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList())
                    .anySatisfy(name -> assertThat(name).startsWith("tm_"))
                    .anySatisfy(name -> assertThat(name).startsWith("jm_"));
        }
    }

    @Test
    void submittedThroughRestAndUpgradedWithASavepointToParallelism2EveryReadingCountsOnce() throws Exception {
        Path pipeline = pipeline("cluster-upgrade");
        String job = rest.run(jarId, WindroseJob.class.getName(), List.of("--config", pipeline.toString()), 0, null, false);
        rest.awaitRunning(job, Duration.ofMinutes(1));
        mosquitto.awaitSubscription("cluster-upgrade-0", "cluster-upgrade/+/+", Duration.ofSeconds(60));
        publish("cluster-upgrade", 0, 45); // window [40 s, 50 s) is open at the stop
        awaitCounted("cluster-upgrade", 40 * SENSORS);

        String savepoint = rest.stopWithSavepoint(job, cluster.savepoints().toUri().toString(), Duration.ofMinutes(1));
        assertThat(rest.state(job)).isEqualTo("FINISHED");
        String upgraded = rest.run(jarId, WindroseJob.class.getName(), List.of("--config", pipeline.toString(), "--set",
                "job.parallelism=2"), 0, savepoint, false);
        rest.awaitRunning(upgraded, Duration.ofMinutes(1));
        mosquitto.awaitSubscription("cluster-upgrade-1", "$share/windrose/cluster-upgrade/+/+", Duration.ofSeconds(60));
        publish("cluster-upgrade", 45, 90);
        close("cluster-upgrade");
        assertThat(awaitCounted("cluster-upgrade", 90 * SENSORS)).isEqualTo(expected(90));
        rest.cancel(upgraded);
    }

    @Test
    void aSavepointWhoseStateTheNewPipelineHasNoPlaceForIsRefusedNamingTheOperator() throws Exception {
        Path pipeline = pipeline("cluster-refuse");
        String job = rest.run(jarId, WindroseJob.class.getName(), List.of("--config", pipeline.toString()), 0, null, false);
        rest.awaitRunning(job, Duration.ofMinutes(1));
        mosquitto.awaitSubscription("cluster-refuse-0", "cluster-refuse/+/+", Duration.ofSeconds(60));
        publish("cluster-refuse", 0, 5); // state in the open window
        String savepoint = rest.stopWithSavepoint(job, cluster.savepoints().toUri().toString(), Duration.ofMinutes(1));

        List<String> otherWindows = List.of("--config", pipeline.toString(), "--set", "window.size=20s");
        assertThatThrownBy(() -> rest.run(jarId, WindroseJob.class.getName(), otherWindows, 0, savepoint, false))
                .hasMessageContaining("cannot restore from " + savepoint)
                .hasMessageContaining("window-aggregates-10s");
        String restored = rest.run(jarId, WindroseJob.class.getName(), List.of("--config", pipeline.toString()), 0,
                savepoint, false);
        rest.awaitRunning(restored, Duration.ofMinutes(1));
        publish("cluster-refuse", 5, 20);
        close("cluster-refuse");
        assertThat(awaitCounted("cluster-refuse", 20 * SENSORS)).isEqualTo(expected(20));
        rest.cancel(restored);
    }

    @Test
    void aTaskManagerKilledMidStreamLosesAndDoublesNothing() throws Exception {
        Path pipeline = pipeline("cluster-kill");
        String job = rest.run(jarId, WindroseJob.class.getName(), List.of("--config", pipeline.toString(), "--set",
                "job.parallelism=2"), 0, null, false);
        rest.awaitRunning(job, Duration.ofMinutes(1));
        mosquitto.awaitSubscription("cluster-kill-1", "$share/windrose/cluster-kill/+/+", Duration.ofSeconds(60));
        publish("cluster-kill", 0, 40);
        awaitCounted("cluster-kill", 30 * SENSORS);
        cluster.taskManager(1).kill(); // SIGKILL: its slots and everything in them are gone
        publish("cluster-kill", 40, 60); // the broker holds them for the readers' sessions
        Await.until(() -> !cluster.taskManager(1).isAlive(), dead -> dead, Duration.ofSeconds(10));
        assertThat(cluster.restartIfDead(1)).as("started again, as Kubernetes would").isTrue();
        rest.awaitRunning(job, Duration.ofMinutes(2));
        publish("cluster-kill", 60, 90);
        close("cluster-kill");
        assertThat(awaitCounted("cluster-kill", 90 * SENSORS)).isEqualTo(expected(90));
        rest.cancel(job);
    }

    private Path pipeline(String name) throws Exception {
        String db = name.replace('-', '_');
        influx.createDatabase(db);
        Path file = RealServices.newDirectory(name).resolve("pipeline.yaml");
        // checkpoints where the cluster's configuration puts them; restarts patient enough for a lost TaskManager
        Files.writeString(file, """
                job:
                  name: %s
                  checkpoint-interval: 500ms
                  flink-config:
                    restart-strategy.type: fixed-delay
                    restart-strategy.fixed-delay.attempts: "30"
                    restart-strategy.fixed-delay.delay: 1s
                mqtt:
                  servers: [tcp://127.0.0.1:%d]
                  client-id-prefix: %s
                  reconnect-max-delay: 1s
                routes:
                  - name: readings
                    topic-template: %s/{site}/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                dedup:
                  last-readings: 64
                sinks:
                  influxdb:
                    url: %s
                    bucket: %s/autogen
                    flush-interval: 200ms
                  kafka:
                    enabled: false
                """.formatted(name, mosquitto.port(), name, name, influx.url(), db));
        return file;
    }

    /** Readings i in [from, to): each sensor one a second of event time, interleaved by time. */
    private void publish(String root, int from, int to) {
        List<String> topics = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (int s = 0; s < SENSORS; s++) {
                topics.add(root + "/site/s-" + s);
                payloads.add("{\"sensor\":\"s-" + s + "\",\"ts\":" + (T0 + i * 1_000L) + ",\"temperature\":" + i % 7 + "}");
            }
        }
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
    }

    private void close(String root) {
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publish(root + "/site/closer", "{\"sensor\":\"closer\",\"ts\":" + (T0 + 3_600_000) + ",\"temperature\":0}");
        }
    }

    private Map<String, Long> awaitCounted(String name, long readings) {
        return Await.until(() -> counts(name), c -> c.values().stream().mapToLong(Long::longValue).sum() >= readings,
                Duration.ofSeconds(120));
    }

    private Map<String, Long> counts(String name) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : InfluxQuery.rows(influx, name.replace('-', '_'),
                "SELECT temperature_count, sensor FROM readings WHERE sensor != 'closer'")) {
            counts.put(row.get("sensor") + "@" + (((Number) row.get("time")).longValue() - T0),
                    ((Number) row.get("temperature_count")).longValue());
        }
        return counts;
    }

    private static Map<String, Long> expected(int to) {
        Map<String, Long> counts = new TreeMap<>();
        for (int s = 0; s < SENSORS; s++) {
            for (int w = 0; w < to / 10; w++) {
                counts.put("s-" + s + "@" + w * 10_000L, 10L);
            }
        }
        return counts;
    }
}
