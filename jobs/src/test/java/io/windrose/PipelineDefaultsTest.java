package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.mqtt.MqttSource;
import io.windrose.mqtt.common.MqttConnectionOptions;
import io.windrose.pipeline.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline file's defaults and the MQTT source builder's defaults are one and the same. */
class PipelineDefaultsTest {
    @Test
    void anEmptyMqttSectionBuildsTheSourceTheBuilderBuildsByDefault() {
        PipelineConfig config = new PipelineConfig();
        List<String> filters = List.of("sensors/+/+");
        MqttConnectionOptions fromFile = WindroseJob.source(config, filters).options();
        MqttConnectionOptions fromBuilder = MqttSource.builder()
                .addTopicFilters(filters)
                .setCheckpointInterval(config.job.checkpointInterval)
                .build()
                .options();
        assertThat(fromFile).isEqualTo(fromBuilder);
    }
}
