package io.windrose.flink.connector.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttOptionNames;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSinkOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The sink's options (defaults, every setter, validation in the connector's one place) and the messages it makes. */
class MqttSinkBuilderTest {

    private static MqttSinkBuilder<String> minimal() {
        return MqttSink.<String>builder().setServers(List.of("tcp://127.0.0.1:1883")).setClientIdPrefix("out")
                .setSerializationSchema(s -> MqttOutgoingRecord.builder("t", s.getBytes(StandardCharsets.UTF_8)).build());
    }

    @Test
    void defaults() {
        MqttSinkOptions options = minimal().build().options();
        assertThat(options.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(options.retryTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.maxInFlight()).isEqualTo(1_000);
        assertThat(options.maxRecordsPerSecond()).as("unlimited").isZero();
        assertThat(options.connection().keepAlive()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.connection().protocolVersion()).isEqualTo(MqttProtocolVersion.V5);
    }

    @Test
    void everySetterReachesTheOptions() {
        MqttSinkOptions options = minimal()
                .setServers(List.of("tcp://a:1", "ssl://b:2"))
                .setClientIdPrefix("cmd")
                .setCredentials("user", "secret")
                .setProtocolVersion(MqttProtocolVersion.V3_1_1)
                .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_MOST_ONCE)
                .setKeepAlive(Duration.ofSeconds(7))
                .setReconnectDelays(Duration.ofMillis(11), Duration.ofSeconds(13))
                .setRetryTimeout(Duration.ofSeconds(17))
                .setMaxInFlight(19)
                .setMaxRecordsPerSecond(23)
                .build().options();
        assertThat(options.connection().servers()).containsExactly("tcp://a:1", "ssl://b:2");
        assertThat(options.clientIdPrefix()).isEqualTo("cmd");
        assertThat(options.connection().username()).isEqualTo("user");
        assertThat(options.connection().password()).isEqualTo("secret");
        assertThat(options.connection().protocolVersion()).isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(options.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_MOST_ONCE);
        assertThat(options.connection().keepAlive()).isEqualTo(Duration.ofSeconds(7));
        assertThat(options.connection().reconnectInitialDelay()).isEqualTo(Duration.ofMillis(11));
        assertThat(options.connection().reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(13));
        assertThat(options.retryTimeout()).isEqualTo(Duration.ofSeconds(17));
        assertThat(options.maxInFlight()).isEqualTo(19);
        assertThat(options.maxRecordsPerSecond()).isEqualTo(23);
    }

    @Test
    void setOptionsTakesTheSinksOptionsAndNoSourceOnes() {
        Configuration config = new Configuration();
        config.setString("servers", "tcp://x:1;tcp://y:2");
        config.setString("client-id-prefix", "p");
        config.setString("sink.retry-timeout", "5s");
        config.setString("sink.max-records-per-second", "9");
        config.setString("keep-alive", "3s");
        config.setString("qos", "0"); // a source option: with at-least-once it would be refused
        config.setString("topics", "a/#");
        MqttSinkOptions options = MqttSink.<String>builder().setOptions(config)
                .setSerializationSchema(s -> null).build().options();
        assertThat(options.connection().servers()).containsExactly("tcp://x:1", "tcp://y:2");
        assertThat(options.retryTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.maxRecordsPerSecond()).isEqualTo(9);
        assertThat(options.connection().keepAlive()).isEqualTo(Duration.ofSeconds(3));
        assertThat(MqttConnectorOptions.ALL).containsAll(MqttConnectorOptions.SINK);
    }

    @Test
    void wrongValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> minimal().setRetryTimeout(Duration.ZERO).build())
                .isInstanceOf(MqttOptionException.class).hasMessageStartingWith("sink.retry-timeout: ");
        assertThatThrownBy(() -> minimal().setMaxRecordsPerSecond(0).build())
                .hasMessageStartingWith("sink.max-records-per-second: ");
        assertThatThrownBy(() -> minimal().setMaxInFlight(70_000).build())
                .hasMessageStartingWith("sink.max-in-flight: ");
        assertThatThrownBy(() -> minimal().setServers(List.of()).build()).hasMessageStartingWith("servers: ");
        assertThatThrownBy(() -> minimal().setClientIdPrefix(null).build()).hasMessageStartingWith("client-id-prefix: ");
        assertThatThrownBy(() -> minimal().setOptionNames(MqttOptionNames.of(Map.of("sink.retry-timeout",
                "actions.mqtt.retry-timeout"))).setRetryTimeout(Duration.ofSeconds(-1)).build())
                .hasMessageStartingWith("actions.mqtt.retry-timeout: ");
        assertThatThrownBy(() -> MqttSink.<String>builder().setServers(List.of("tcp://a:1")).setClientIdPrefix("p")
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("serialization schema");
    }

    @Test
    void anOutgoingRecordBecomesAnMqtt5PublishWithItsProperties() {
        MqttOutgoingRecord record = MqttOutgoingRecord.builder("dev/1/set", "ON".getBytes(StandardCharsets.UTF_8))
                .qos(2).retain(true).messageExpirySeconds(300L).userProperty("site", "north")
                .userProperty("site", "south").responseTopic("dev/1/reply")
                .correlationData("req-1".getBytes(StandardCharsets.UTF_8)).contentType("text/plain").build();
        Mqtt5Publish publish = MqttPublisher.V5.message(record);
        assertThat(publish.getTopic().toString()).isEqualTo("dev/1/set");
        assertThat(publish.getPayloadAsBytes()).isEqualTo("ON".getBytes(StandardCharsets.UTF_8));
        assertThat(publish.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
        assertThat(publish.isRetain()).isTrue();
        assertThat(publish.getMessageExpiryInterval()).hasValue(300);
        assertThat(publish.getUserProperties().asList()).extracting(p -> p.getName() + "=" + p.getValue())
                .containsExactly("site=north", "site=south");
        assertThat(publish.getResponseTopic()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("dev/1/reply"));
        assertThat(publish.getCorrelationData()).isPresent();
        assertThat(publish.getContentType()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("text/plain"));

        Mqtt5Publish plain = MqttPublisher.V5.message(MqttOutgoingRecord.builder("a", new byte[0]).build());
        assertThat(plain.getQos()).as("default QoS").isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(plain.isRetain()).isFalse();
        assertThat(plain.getMessageExpiryInterval()).isEmpty();
        assertThat(plain.getUserProperties().asList()).isEmpty();
        assertThat(plain.getResponseTopic()).isEmpty();
        assertThat(plain.getContentType()).isEmpty();
    }

    @Test
    void anOutgoingRecordRefusesWhatMqttDoesNotAllow() {
        assertThatThrownBy(() -> MqttOutgoingRecord.builder("a/+", new byte[0]).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic 'a/+'");
        assertThatThrownBy(() -> MqttOutgoingRecord.builder("a", new byte[0]).qos(3).build())
                .hasMessageContaining("QoS");
        assertThatThrownBy(() -> MqttOutgoingRecord.builder("a", new byte[0]).messageExpirySeconds(-1L).build())
                .hasMessageContaining("expiry");
        assertThatThrownBy(() -> MqttOutgoingRecord.builder("a", new byte[0]).responseTopic("r/#").build())
                .hasMessageContaining("response topic");
    }
}
