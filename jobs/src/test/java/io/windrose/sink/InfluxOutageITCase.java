package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.ReadingsFixture;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * InfluxDB goes away for 20 s mid-stream and comes back: the sink retries while the job waits, the job never fails,
 * and afterwards every window of every sensor is in InfluxDB exactly once with its exact count — through the v2 API
 * (influxdb-client-java, via the gateway, which answers 503 meanwhile) and the 1.x API (straight to influxd, connection
 * refused meanwhile).
 */
class InfluxOutageITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1"})
    void anInfluxOutageOf20SecondsLosesNothingAndDoublesNothing(String api) throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        String db = "outage_" + api;
        influx.createDatabase(db);
        ReadingsFixture fixture = new ReadingsFixture("outage-" + api, 4, 6);
        String[] sink = api.equals("v1")
                ? new String[] {"sinks.influxdb.api=v1", "sinks.influxdb.url=" + influx.v1Url(), "sinks.influxdb.database=" + db,
                        "sinks.influxdb.retention-policy=autogen"}
                : new String[0];
        PipelineConfig config = fixture.pipeline(mosquitto, "outage-" + api, influx, db, null, "", sink);
        config.sinks.influxdb.retryMaxDelay = Duration.ofSeconds(2);
        int half = fixture.size() / 2;

        JobClient job = jobs.start(config, mosquitto);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(fixture.topics(0, half), fixture.payloads(0, half), MqttQos.AT_LEAST_ONCE);
            awaitSomeWindows(fixture, influx, db);

            influx.stopInfluxd();
            try {
                devices.publishAll(fixture.topics(half, fixture.size()), fixture.payloads(half, fixture.size()),
                        MqttQos.AT_LEAST_ONCE);
                devices.publish(fixture.closingTopic(), fixture.closingPayload());
                Thread.sleep(20_000);
                assertThat(InMemoryMetrics.count("retries")).as("writes were retried during the outage").isPositive();
            } finally {
                influx.restartInfluxd();
            }

            Map<String, Long> counts = fixture.awaitCounts(influx, db, Duration.ofSeconds(90));
            assertThat(counts).isEqualTo(fixture.expectedCounts());
            List<Map<String, Object>> points = InfluxQuery.rows(influx, db, "SELECT count(temperature_count) FROM readings"
                    + " WHERE time < " + (ReadingsFixture.T0 + 60_000) + "ms");
            assertThat(((Number) points.get(0).get("count")).longValue()).as("points = windows × sensors").isEqualTo(6 * 4);
            // InfluxDB overwrites a point written twice, so only the writes themselves can show a double write
            assertThat(InMemoryMetrics.count("pointsWritten", "influxdb-aggregates")).as("points written, each once")
                    .isEqualTo(6 * 4);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(InMemoryMetrics.gauge("numRestarts")).as("the job never failed").isZero();
        }
    }

    private static void awaitSomeWindows(ReadingsFixture fixture, InfluxServer influx, String db) {
        io.windrose.testing.Await.until(() -> fixture.countsInInflux(influx, db), c -> !c.isEmpty(), Duration.ofSeconds(60));
    }
}
