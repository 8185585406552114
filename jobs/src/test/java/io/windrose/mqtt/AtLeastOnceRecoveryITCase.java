package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.testing.Await;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.ReadingsFixture;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At-least-once against a real Mosquitto: the job fails (injected) after a completed checkpoint while messages it
 * already took are not yet acked; Flink restores the checkpoint, the broker redelivers what was not acked, and the
 * aggregates in InfluxDB come out exact. Acks on receipt would lose the messages taken after the checkpoint; without
 * the dedup stage a checkpoint that completed while its notification (which sends the acks) had not reached the reader
 * before the failure makes the broker redeliver messages the restored state already holds (seen: ~700 readings counted
 * twice in one run), which the dedup stage drops.
 */
class AtLeastOnceRecoveryITCase {
    private static final String DB = "recovery";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void failureAfterACheckpointLosesNothingAndCountsNothingTwice() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        influx.createDatabase(DB);
        ReadingsFixture fixture = new ReadingsFixture("recovery", 20, 4);
        int half = fixture.size() / 2;
        // the fixture's sensors send ~100 readings a second each, far faster than field sensors
        PipelineConfig config = fixture.pipeline(mosquitto, "windrose-recovery", influx, DB, null,
                "dedup:\n  last-readings: 1024\n");
        FailOnceAfterCheckpoint.reset(half);
        jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            // a checkpoint completes after the first half went through; the failure comes 200 messages later
            fixture.publishAcrossAnInjectedFailure(devices);
        }
        Map<String, Long> counts = fixture.awaitCounts(influx, DB, Duration.ofSeconds(90));
        assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
        assertThat(counts).isEqualTo(fixture.expectedCounts());
        // the broker redelivered what the failed attempt had taken after the checkpoint, and the reader expected it
        long replayed = FailOnceAfterCheckpoint.PASSED.get() - (fixture.size() + 1);
        assertThat(replayed).isPositive();
        assertThat(InMemoryMetrics.count("redeliveries")).isGreaterThanOrEqualTo(replayed);
        // every message is acked in the end: the last ones with the next checkpoint
        assertThat(Await.until(() -> InMemoryMetrics.count("messagesAcked"), n -> n >= fixture.size(),
                Duration.ofSeconds(30))).isGreaterThanOrEqualTo(fixture.size());
        System.out.printf("recovery: %d messages taken for %d published, %d duplicates dropped%n",
                FailOnceAfterCheckpoint.PASSED.get(), fixture.size() + 1, InMemoryMetrics.count("duplicatesDropped"));
    }
}
