package io.windrose.restore;

import static io.windrose.restore.SavepointFixture.SAVED;
import static io.windrose.restore.SavepointFixture.SENSORS;
import static io.windrose.restore.SavepointFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseJob;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every committed savepoint fixture (see {@link SavepointFixture}) restores into the current job against real Mosquitto
 * and InfluxDB, and its state carries on: the open window completes with the readings before and after the savepoint,
 * the dedup rings drop the saved readings sent again, the emitted window is not emitted again, and the raised alert
 * clears. A change that breaks restoring a savepoint of a released version fails here.
 */
class CommittedSavepointITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();

    static Stream<Path> fixtures() throws Exception {
        try (Stream<Path> versions = Files.list(savepoints())) {
            return versions.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @Test
    void aFixtureIsCommitted() throws Exception {
        assertThat(fixtures()).as("savepoint fixtures in " + savepoints()).isNotEmpty()
                .allSatisfy(f -> assertThat(f.resolve("savepoint/_metadata")).isRegularFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void restoresIntoTheCurrentJobAndItsStateCarriesOn(Path fixture) throws Exception {
        String name = "restore_" + fixture.getFileName();
        PipelineConfig config = SavepointFixture.config(name, mosquitto, influx,
                Files.readString(fixture.resolve("pipeline.yaml")));
        String pointer = fixture.resolve("savepoint").toUri().toString();

        StreamExecutionEnvironment probe = WindroseJob.environment(config);
        WindroseJob.sinks(WindroseJob.process(WindroseJob.messages(probe, config), config), config);
        assertThat(RestoreCheck.unclaimed(pointer, probe.getStreamGraph().getJobGraph()))
                .as("saved operator state this job has no place for").isEmpty();

        config.job.flinkConfig.put("execution.state-recovery.path", pointer);
        jobs.start(config, mosquitto);
        SavepointFixture.publish(mosquitto, 10, 30); // 10–14 s again (as a device whose acks were lost would), then new
        boolean anomaly = Files.readString(fixture.resolve("pipeline.yaml")).contains("kind: anomaly");
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            if (anomaly) { // s-1 has been 0..6: 35 (not hot) is an anomaly once the baseline has its 20 readings
                devices.publish("fixture/site/s-1", "{\"sensor\":\"s-1\",\"ts\":" + (T0 + 31_000) + ",\"temperature\":35}");
            }
            devices.publish("fixture/site/closer", "{\"sensor\":\"closer\",\"ts\":" + (T0 + 3_600_000) + ",\"temperature\":0}");
        }

        Map<String, Long> expected = new TreeMap<>();
        for (int s = 0; s < SENSORS; s++) {
            expected.put("s-" + s + "@10000", 10L); // 5 from the savepoint + 5 after it, not 5 and not 15
            expected.put("s-" + s + "@20000", 10L);
        }
        assertThat(Await.until(() -> counts(name), c -> c.size() >= expected.size(), Duration.ofSeconds(90)))
                .as("windows after the restore; [0 s, 10 s) was emitted before the savepoint").isEqualTo(expected);
        assertThat(InMemoryMetrics.count("duplicatesDropped")).isEqualTo((SAVED - 10) * SENSORS);
        assertThat(Await.until(() -> InfluxQuery.rows(influx, name, "SELECT state, level FROM alerts WHERE rule = 'hot'"),
                rows -> !rows.isEmpty(), Duration.ofSeconds(30)))
                .as("s-0's critical alert, raised before the savepoint, clears once")
                .extracting(row -> row.get("state") + " " + row.get("level")).containsExactly("CLEARED critical");
        if (anomaly) {
            assertThat(Await.until(() -> InfluxQuery.rows(influx, name, "SELECT state, level, sensor FROM alerts"
                    + " WHERE rule = 'odd'"), rows -> !rows.isEmpty(), Duration.ofSeconds(30)))
                    .as("s-1's baseline: 13 readings learned and 2 held in the savepoint + 15 after it; 17 would still be warming up")
                    .extracting(row -> row.get("state") + " " + row.get("level") + " " + row.get("sensor"))
                    .containsExactly("RAISED critical s-1");
        }
    }

    private Map<String, Long> counts(String database) {
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : InfluxQuery.rows(influx, database,
                "SELECT temperature_count, sensor FROM readings WHERE sensor != 'closer'")) {
            long window = ((Number) row.get("time")).longValue() - T0;
            if (window < 30_000) { // s-1's anomaly at 31 s is not one of the fixture's readings
                counts.put(row.get("sensor") + "@" + window, ((Number) row.get("temperature_count")).longValue());
            }
        }
        return counts;
    }

    private static Path savepoints() throws URISyntaxException {
        return Path.of(CommittedSavepointITCase.class.getResource("/savepoints").toURI());
    }
}
