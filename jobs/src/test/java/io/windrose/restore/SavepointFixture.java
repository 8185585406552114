package io.windrose.restore;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * The committed savepoint fixtures ({@code src/test/resources/savepoints/v<n>/}): a savepoint of this pipeline taken
 * by {@link #main} with every stateful operator holding state — readings 0–14 s of five sensors, so the window
 * [0 s, 10 s) is emitted and [10 s, 20 s) open with 5 readings each, the dedup rings full, the emitted-window guard's
 * floor at 10 s, and s-0's critical "hot" alert raised; from v2 on, s-1's anomaly baseline warming up (13 of its 20
 * readings learned, 2 waiting for the watermark). {@link CommittedSavepointITCase} restores every fixture into
 * the current job. Regenerate only for an intended state layout break (and record it in the upgrade notes of
 * docs/operations.md): {@code jobs/savepoint-fixture v<n+1>}.
 */
public final class SavepointFixture {
    static final String NAME = "fixture";
    static final long T0 = 1764144000000L;
    static final int SENSORS = 5;
    /** Readings before the savepoint: [0, SAVED) seconds of event time. */
    static final int SAVED = 15;
    /** The body of the pipeline (its services sections come from the test harness); written beside the savepoint. */
    static final String PIPELINE = """
            routes:
              - name: readings
                topic-template: fixture/{site}/{sensor}
            event-time:
              max-out-of-orderness: 1s
            dedup:
              last-readings: 64
              # the rings expire this long after their last write, in processing time: the fixture must outlive its date
              horizon: 36500d
            rules:
              - {name: hot, field: temperature, above: {critical: 40}}
              # warming up at the savepoint (13 of 20 readings learned, 2 waiting for the watermark): warm after the
              # restore only if the baseline is restored
              - {name: odd, kind: anomaly, field: temperature, sigma: 5, min-samples: 20, level: critical, sensors: s-1}
            """;

    private SavepointFixture() {}

    /** Readings of every sensor at seconds [from, to): s-0 is hot (50) before {@link #SAVED}, 20 after; others i % 7. */
    static void publish(MosquittoServer broker, int from, int to) {
        List<String> topics = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = from; i < to; i++) {
            for (int s = 0; s < SENSORS; s++) {
                double temperature = s == 0 ? (i < SAVED ? 50 : 20) : i % 7;
                topics.add("fixture/site/s-" + s);
                payloads.add("{\"sensor\":\"s-" + s + "\",\"ts\":" + (T0 + i * 1_000L) + ",\"temperature\":" + temperature
                        + "}");
            }
        }
        try (TestMqtt devices = new TestMqtt(broker.port())) {
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
    }

    static PipelineConfig config(String name, MosquittoServer broker, InfluxServer influx, String pipeline) {
        influx.createDatabase(name);
        return TestPipelines.load(name, TestPipelines.services(name, broker, influx, name, null) + pipeline);
    }

    /** Writes a new fixture: {@code jobs/savepoint-fixture v<n>} (run from the jobs module, after a build). */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].matches("v\\d+")) {
            System.err.println("usage: jobs/savepoint-fixture v<n>   (writes src/test/resources/savepoints/v<n>/)");
            System.exit(2);
        }
        Path target = Path.of("src/test/resources/savepoints", args[0]);
        MosquittoServer mosquitto = RealServices.mosquitto();
        RunningJobs jobs = new RunningJobs();
        JobClient job = jobs.start(config(NAME, mosquitto, RealServices.influx(), PIPELINE), mosquitto);
        publish(mosquitto, 0, SAVED);
        // acked = covered by a completed checkpoint: every reading is in the operators' state, none in flight
        Await.until(() -> InMemoryMetrics.count("messagesAcked"), n -> n >= SAVED * SENSORS, Duration.ofSeconds(60));
        Path savepoints = RealServices.newDirectory("savepoints");
        String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        delete(target);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(Path.of(java.net.URI.create(savepoint)))) {
            Path from = Path.of(java.net.URI.create(savepoint));
            for (Path file : files.toList()) {
                Path to = target.resolve("savepoint").resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        Files.writeString(target.resolve("pipeline.yaml"), PIPELINE);
        Files.writeString(target.resolve("FIXTURE.md"), """
                # Savepoint fixture %s
                Taken %s by `jobs/savepoint-fixture %s` (SavepointFixture) with Flink %s, canonical format.
                State: see SavepointFixture's Javadoc; restored by CommittedSavepointITCase with `pipeline.yaml` beside it.
                """.formatted(args[0], Instant.now(), args[0], EnvironmentInformation.getVersion()));
        System.out.println("savepoint fixture written to " + target.toAbsolutePath());
        System.exit(0);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
