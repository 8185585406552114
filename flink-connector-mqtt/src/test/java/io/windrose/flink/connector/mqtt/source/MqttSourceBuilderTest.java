package io.windrose.flink.connector.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttOptionNames;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class MqttSourceBuilderTest {
    private static final MqttDeserializationSchema<String> STRINGS =
            MqttDeserializationSchema.payload(new SimpleStringSchema());

    @Test
    void everySetterArrivesInTheSourceOptions() {
        MqttSource<String> source = MqttSource.<String>builder()
                .setServers(List.of("ssl://a:8883", "ssl://b:8883"))
                .setTopics("x/#", "y/+")
                .setProtocolVersion(MqttProtocolVersion.V3_1_1)
                .setClientIdPrefix("job")
                .setCredentials("user", null)
                .setPasswordFile("/run/secret")
                .setTls(new MqttTlsOptions("/ca", "/crt", "/key", false))
                .setQos(2)
                .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_LEAST_ONCE)
                .setKeepAlive(Duration.ofSeconds(7))
                .setSessionExpiry(Duration.ofMinutes(9))
                .setSharedSubscription(false)
                .setSharedGroup("g")
                .setQueueCapacity(11)
                .setMaxUnacked(12)
                .setHandOverLinger(Duration.ofMillis(13))
                .setReconnectDelays(Duration.ofMillis(14), Duration.ofSeconds(15))
                .setStallWarnings(Duration.ofSeconds(16), Duration.ofSeconds(17))
                .setCheckpointInterval(Duration.ofSeconds(18))
                .setDeserializer(STRINGS)
                .build();
        MqttSourceOptions o = source.options();
        assertThat(o.connection().servers()).containsExactly("ssl://a:8883", "ssl://b:8883");
        assertThat(o.topicFilters()).containsExactly("x/#", "y/+");
        assertThat(o.connection().protocolVersion()).isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(o.clientIdPrefix()).isEqualTo("job");
        assertThat(o.connection().username()).isEqualTo("user");
        assertThat(o.connection().password()).isNull();
        assertThat(o.connection().passwordFile()).isEqualTo("/run/secret");
        assertThat(o.connection().tls()).isEqualTo(new MqttTlsOptions("/ca", "/crt", "/key", false));
        assertThat(o.qos()).isEqualTo(2);
        assertThat(o.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(o.connection().keepAlive()).isEqualTo(Duration.ofSeconds(7));
        assertThat(o.sessionExpiry()).isEqualTo(Duration.ofMinutes(9));
        assertThat(o.sharedSubscription()).isFalse();
        assertThat(o.sharedGroup()).isEqualTo("g");
        assertThat(o.queueCapacity()).isEqualTo(11);
        assertThat(o.maxUnacked()).isEqualTo(12);
        assertThat(o.handOverLinger()).isEqualTo(Duration.ofMillis(13));
        assertThat(o.connection().reconnectInitialDelay()).isEqualTo(Duration.ofMillis(14));
        assertThat(o.connection().reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.disconnectedWarning()).isEqualTo(Duration.ofSeconds(16));
        assertThat(o.idleWarning()).isEqualTo(Duration.ofSeconds(17));
        assertThat(o.checkpointInterval()).isEqualTo(Duration.ofSeconds(18));
        assertThat(source.getProducedType()).isEqualTo(Types.STRING);
    }

    @Test
    void optionsComeFromAFlinkConfigurationAndUnsetOnesKeepTheirDefaults() {
        Configuration config = new Configuration();
        config.setString("servers", "tcp://a:1883;tcp://b:1883");
        config.setString("topics", "sensors/#");
        config.setString("client-id-prefix", "job");
        config.setString("delivery-guarantee", "at-most-once");
        config.setString("qos", "0");
        config.setString("keep-alive", "45 s");
        MqttSourceOptions o = MqttSource.<String>builder().setOptions(config).setDeserializer(STRINGS).build().options();
        assertThat(o.connection().servers()).containsExactly("tcp://a:1883", "tcp://b:1883");
        assertThat(o.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_MOST_ONCE);
        assertThat(o.qos()).isZero();
        assertThat(o.connection().keepAlive()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.maxUnacked()).isEqualTo(MqttConnectorOptions.MAX_UNACKED.defaultValue());
        assertThat(o.connection().protocolVersion()).isEqualTo(MqttConnectorOptions.PROTOCOL_VERSION.defaultValue());
        assertThat(o.sharedGroup()).as("the client-id prefix").isEqualTo("job");
    }

    @Test
    void buildChecksTheOptionsAndNamesThemAsTold() {
        assertThatThrownBy(() -> MqttSource.<String>builder().setServers(List.of("tcp://a:1883")).setClientIdPrefix("j")
                .setDeserializer(STRINGS).build())
                .isInstanceOf(MqttOptionException.class).hasMessage("topics: expected at least one topic filter");
        assertThatThrownBy(() -> MqttSource.<String>builder().setServers(List.of("tcp://a:1883")).setClientIdPrefix("j")
                .setTopics("t").setQos(0).setOptionNames(MqttOptionNames.of(Map.of("qos", "mqtt.qos")))
                .setDeserializer(STRINGS).build())
                .hasMessageStartingWith("mqtt.qos: expected 1 or 2 with delivery-guarantee at-least-once");
        assertThatThrownBy(() -> MqttSource.<String>builder().setServers(List.of("tcp://a:1883")).setClientIdPrefix("j")
                .setTopics("t").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deserializer");
    }

    @Test
    void thePasswordIsNeverInTheOptionsText() {
        String text = MqttSource.<String>builder().setServers(List.of("tcp://a:1883")).setClientIdPrefix("j")
                .setTopics("t").setCredentials("u", "hunter2").setDeserializer(STRINGS).build().options().toString();
        assertThat(text).contains("username=u").doesNotContain("hunter2");
    }
}
