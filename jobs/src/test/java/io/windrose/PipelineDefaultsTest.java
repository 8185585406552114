package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.MqttMessageSchema;
import io.windrose.pipeline.PipelineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline file's {@code mqtt} defaults are the MQTT connector's, except what Windrose chooses itself: the broker
 * (a local one), the client-id prefix and the shared-subscription group ({@code windrose}). That every key reaches the
 * connector with its value is {@code MqttSourcesTest}'s.
 */
class PipelineDefaultsTest {
    @Test
    void anEmptyMqttSectionBuildsTheSourceTheConnectorBuildsByDefault() {
        PipelineConfig config = new PipelineConfig();
        List<String> filters = List.of("sensors/+/+");
        MqttSourceOptions fromFile = WindroseJob.source(config, filters).options();
        MqttSourceOptions fromConnector = MqttSource.<MqttMessage>builder()
                .setServers(List.of("tcp://127.0.0.1:1883"))
                .setClientIdPrefix("windrose")
                .setSharedGroup("windrose")
                .setTopics(filters)
                .setCheckpointInterval(config.job.checkpointInterval)
                .setOptionNames(fromFile.connection().names())
                .setDeserializer(new MqttMessageSchema())
                .build()
                .options();
        assertThat(fromFile).isEqualTo(fromConnector);
    }
}
