package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.SensorAggregate;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.ReadingsFixture;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once to Kafka against the real servers: the job fails (injected) between two checkpoints while windows are
 * firing; Flink aborts the open transaction, restores the checkpoint, the broker redelivers what was not acked, and a
 * {@code read_committed} consumer sees every aggregate exactly once, with its exact count.
 */
class KafkaExactlyOnceITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void aFailureBetweenCheckpointsLeavesEachAggregateOnceForReadCommittedConsumers() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        KafkaServer kafka = RealServices.kafka();
        InfluxServer influx = RealServices.influx();
        influx.createDatabase("exactly");
        ReadingsFixture fixture = new ReadingsFixture("exactly", 10, 12);
        int half = fixture.size() / 2;
        PipelineConfig config = fixture.pipeline(mosquitto, "exactly", influx, "exactly", kafka,
                "dedup:\n  last-readings: 1024\n", "sinks.kafka.delivery-guarantee=exactly-once",
                "sinks.kafka.transactional-id-prefix=exactly");
        // the failure comes 2,000 messages (four windows of readings) after a checkpoint, with a checkpoint only every
        // 3 s and watermarks every 10 ms: windows fire in between, into the transaction the failure aborts
        config.job.checkpointInterval = Duration.ofSeconds(3);
        config.job.flinkConfig.put("pipeline.auto-watermark-interval", "10 ms");
        FailOnceAfterCheckpoint.reset(half, 2_000);
        JobClient job = jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            fixture.publishAcrossAnInjectedFailure(devices);
        }
        int windows = 10 * 12;
        List<TestKafka.Keyed<SensorAggregate>> aggregates = TestKafka.read(kafka.bootstrapServers(),
                "exactly.aggregates", SensorAggregate.class, windows, Duration.ofSeconds(120));
        assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
        List<TestKafka.Keyed<SensorAggregate>> uncommitted = TestKafka.read(kafka.bootstrapServers(),
                "exactly.aggregates", SensorAggregate.class, windows + 1, Duration.ofSeconds(5), "read_uncommitted");
        assertThat(uncommitted.size()).as("aggregates written into the transaction the failure aborted")
                .isGreaterThan(windows);
        Map<String, Long> seen = aggregates.stream().collect(Collectors.groupingBy(
                a -> a.key() + "@" + (a.value().getWindowStart().toEpochMilli() - ReadingsFixture.T0), TreeMap::new,
                Collectors.counting()));
        assertThat(seen).as("each aggregate once").hasSize(windows).allSatisfy((window, n) -> assertThat(n).isOne());
        Map<String, Long> counts = aggregates.stream().collect(Collectors.toMap(
                a -> a.key() + "@" + (a.value().getWindowStart().toEpochMilli() - ReadingsFixture.T0),
                a -> a.value().getFields().get("temperature").getCount(), (x, y) -> x, TreeMap::new));
        assertThat(counts).isEqualTo(fixture.expectedCounts());
    }
}
