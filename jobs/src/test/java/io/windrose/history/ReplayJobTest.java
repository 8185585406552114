package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.sink.InfluxApi;
import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.KafkaSinkConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

/** A replay's outputs: copies of the pipeline's sink settings, changed where a replay must differ from the live job. */
class ReplayJobTest {
    @Test
    void aReplayWritesKafkaAtLeastOnceWhateverTheLiveJobDoes() {
        KafkaSinkConfig live = new KafkaSinkConfig();
        live.deliveryGuarantee = DeliveryGuarantee.EXACTLY_ONCE;
        KafkaSinkConfig replay = ReplayJob.atLeastOnce(live);
        assertThat(replay.deliveryGuarantee).as("no transactions: they would take the live job's transactional ids")
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(replay.transactionalIdPrefix).isEqualTo(live.transactionalIdPrefix);
        assertThat(live.deliveryGuarantee).as("the pipeline's settings are left as they were")
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
    }

    @Test
    void windowRulesAlertsGoOverTheLivePointsOnlyWithoutAnAllowedLateness() {
        PipelineConfig config = new PipelineConfig();
        ReplayOutputs inPlace = new ReplayOutputs(true, "", null, null);
        ReplayOutputs beside = new ReplayOutputs(true, "_r", null, null);
        assertThat(ReplayJob.windowRulesWritten(config, inPlace)).isTrue();
        config.eventTime.allowedLateness = Duration.ofSeconds(30);
        assertThat(ReplayJob.windowRulesWritten(config, inPlace))
                .as("the live job also judged early firings: not over its points").isFalse();
        assertThat(ReplayJob.windowRulesWritten(config, beside)).isTrue();
        assertThat(ReplayJob.windowRulesWritten(config, new ReplayOutputs(true, "", "copy", null))).isTrue();
    }

    @Test
    void deadmanAlertsAreNotWrittenOverTheLivePoints() {
        AlertEvent deadman = AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("m").setTags(Map.of())
                .setRule("silent").setLevel("warning").setState(AlertState.RAISED).setField("").setValue(30)
                .setThreshold(30).setEventTime(Instant.EPOCH).setKind("deadman").setPreviousLevel(null)
                .setStartedAt(Instant.EPOCH).setDurationMs(0L).setFlapping(false).build();
        AlertEvent threshold = AlertEvent.newBuilder(deadman).setRule("hot").setKind("threshold").build();
        ReplayJob.WrittenAlerts inPlace = new ReplayJob.WrittenAlerts(true);
        assertThat(inPlace.filter(deadman)).as("event time over history, wall clock live: it would add a point").isFalse();
        assertThat(inPlace.filter(threshold)).isTrue();
        assertThat(new ReplayJob.WrittenAlerts(false).filter(deadman)).as("beside the live points").isTrue();
    }

    @Test
    void anotherDatabaseIsTheSameServersDatabaseOrBucket() {
        InfluxDbConfig v2 = new InfluxDbConfig();
        v2.api = InfluxApi.V2;
        v2.bucket = "telemetry/autogen";
        assertThat(ReplayJob.influxdb(v2, "copy").bucket).as("the retention policy kept").isEqualTo("copy/autogen");
        assertThat(ReplayJob.influxdb(v2, null)).isSameAs(v2);
        InfluxDbConfig v1 = new InfluxDbConfig();
        v1.api = InfluxApi.V1;
        v1.database = "telemetry";
        assertThat(ReplayJob.influxdb(v1, "copy").database).isEqualTo("copy");
        assertThat(v1.database).isEqualTo("telemetry");
    }
}
