package io.windrose.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.action.state.MqttCommand;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSinkOptions;
import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import io.windrose.flink.connector.mqtt.sink.MqttOutgoingRecord;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command sink on the connector's sink: the {@code mqtt} section's connection keys (every one with a value other
 * than its default) and {@code actions.mqtt} reach its options, it is at-least-once whatever the source's delivery
 * setting, and a command becomes the message it says.
 */
class MqttCommandSinkTest {
    @TempDir
    Path dir;

    @Test
    void theMqttSectionsConnectionAndTheActionsSettingsReachTheSink() throws IOException {
        String ca = file("ca.crt");
        String cert = file("client.crt");
        String key = file("client.key");
        PipelineConfig config = load("""
                mqtt:
                  servers: [ssl://a.example:8883, mqtts://b.example]
                  protocol-version: 3.1.1
                  client-id-prefix: plant-7
                  username: reader
                  password: s3cret
                  tls: {ca-file: %s, cert-file: %s, key-file: %s, hostname-verification: false}
                  qos: 0
                  delivery: at-most-once
                  keep-alive: 17s
                  reconnect-initial-delay: 123ms
                  reconnect-max-delay: 45s
                actions:
                  mqtt: {client-id-prefix: fans, retry-timeout: 9s, max-per-second: 42}
                """.formatted(ca, cert, key));
        MqttSinkOptions o = MqttCommandSink.create(config.mqtt, config.actions.mqtt).options();
        MqttConnectionOptions c = o.connection();
        assertThat(c.servers()).as("all servers: failover").containsExactly("ssl://a.example:8883", "mqtts://b.example");
        assertThat(c.protocolVersion()).isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(c.username()).isEqualTo("reader");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.tls()).isEqualTo(new MqttTlsOptions(ca, cert, key, false));
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(17));
        assertThat(c.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(123));
        assertThat(c.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.clientIdPrefix()).isEqualTo("fans");
        assertThat(o.deliveryGuarantee()).as("commands are always awaited").isEqualTo(MqttDeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(o.retryTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(o.maxRecordsPerSecond()).isEqualTo(42);

        String secret = file("secret");
        PipelineConfig withFile = load("mqtt:\n  username: reader\n  password-file: " + secret + "\n");
        assertThat(MqttCommandSink.create(withFile.mqtt, withFile.actions.mqtt).options().connection().passwordFile())
                .isEqualTo(secret);
    }

    @Test
    void defaults() throws IOException {
        PipelineConfig config = load("");
        MqttSinkOptions o = MqttCommandSink.create(config.mqtt, config.actions.mqtt).options();
        assertThat(o.clientIdPrefix()).isEqualTo(config.mqtt.clientIdPrefix + "-commands");
        assertThat(o.retryTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.maxRecordsPerSecond()).isEqualTo(100);
        assertThat(o.maxInFlight()).isEqualTo(1_000);
        assertThat(o.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void theConnectorsErrorsNameWindrosesKeys() throws IOException {
        PipelineConfig config = load("");
        config.actions.mqtt.retryTimeout = Duration.ZERO;
        assertThatThrownBy(() -> MqttCommandSink.create(config.mqtt, config.actions.mqtt))
                .hasMessageStartingWith("actions.mqtt.retry-timeout: ");
        config.actions.mqtt.retryTimeout = Duration.ofSeconds(1);
        config.mqtt.keepAlive = Duration.ZERO;
        assertThatThrownBy(() -> MqttCommandSink.create(config.mqtt, config.actions.mqtt))
                .hasMessageStartingWith("mqtt.keep-alive: ");
    }

    @Test
    void aCommandBecomesItsMessage() {
        MqttCommand command = MqttCommand.newBuilder().setTopic("devices/s-1/fan/set").setPayload("ON").setQos(2)
                .setRetain(true).setExpirySeconds(120).setEventTime(1L).setRule("hot").setSensorId("s-1").build();
        MqttOutgoingRecord message = new MqttCommandSchema().serialize(command);
        assertThat(message.topic()).isEqualTo("devices/s-1/fan/set");
        assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("ON");
        assertThat(message.qos()).isEqualTo(2);
        assertThat(message.retain()).isTrue();
        assertThat(message.messageExpirySeconds()).hasValue(120);
        assertThat(message.userProperties()).isEmpty();
    }

    private PipelineConfig load(String yaml) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "routes:\n  - name: plant\n    topic-template: plant/{sensor}/temperature\n" + yaml);
        return new PipelineConfigLoader().load(file, List.of());
    }

    private String file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x").toString();
    }
}
