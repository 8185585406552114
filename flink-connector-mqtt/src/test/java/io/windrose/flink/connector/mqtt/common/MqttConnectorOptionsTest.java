package io.windrose.flink.connector.mqtt.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class MqttConnectorOptionsTest {
    private static final MqttOptionNames KEYS = MqttOptionNames.keys();

    @Test
    void everyOptionIsListedOnceWithAKeyOfItsOwnAndADescription() throws IllegalAccessException {
        List<ConfigOption<?>> declared = new ArrayList<>();
        for (Field field : MqttConnectorOptions.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                declared.add((ConfigOption<?>) field.get(null));
            }
        }
        assertThat(MqttConnectorOptions.ALL).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(new HashSet<>(MqttConnectorOptions.ALL.stream().map(ConfigOption::key).toList()))
                .hasSameSizeAs(MqttConnectorOptions.ALL);
        assertThat(MqttConnectorOptions.ALL).allSatisfy(option -> {
            assertThat(option.key()).matches("[a-z]+(-[a-z]+)*(\\.[a-z]+(-[a-z]+)*)*");
            assertThat(option.description().toString()).as(option.key()).isNotBlank();
        });
    }

    @Test
    void aValidConfigurationPassesAndEnumsParseFromTheirWrittenForm() {
        Configuration config = valid();
        config.setString("protocol-version", "3.1.1");
        config.setString("delivery-guarantee", "at-most-once");
        config.setString("qos", "0");
        config.setString("hand-over-linger", "0 ms");
        MqttConnectorOptions.validateSource(config, KEYS);
        assertThat(config.get(MqttConnectorOptions.PROTOCOL_VERSION)).isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(config.get(MqttConnectorOptions.DELIVERY_GUARANTEE)).isEqualTo(MqttDeliveryGuarantee.AT_MOST_ONCE);
    }

    @Test
    void eachWrongValueIsReportedAgainstItsOption() {
        assertFails(c -> c.set(MqttConnectorOptions.TOPICS, List.of()), "topics", -1, "at least one topic filter");
        assertFails(c -> c.set(MqttConnectorOptions.TOPICS, List.of("a/#", "b/#/c")), "topics", 1, "topic filter");
        assertFails(c -> c.removeConfig(MqttConnectorOptions.SERVERS), "servers", -1, "at least one server URI");
        assertFails(c -> c.set(MqttConnectorOptions.SERVERS, List.of("tcp://a:1", "http://b:1")), "servers", 1,
                "expected tcp://host:port or ssl://host:port, got 'http://b:1'");
        assertFails(c -> c.removeConfig(MqttConnectorOptions.CLIENT_ID_PREFIX), "client-id-prefix", -1, "non-empty");
        assertFails(c -> c.set(MqttConnectorOptions.QOS, 3), "qos", -1, "expected 0, 1 or 2, got 3");
        assertFails(c -> c.set(MqttConnectorOptions.QOS, 0), "qos", -1,
                "expected 1 or 2 with delivery-guarantee at-least-once");
        assertFails(c -> c.set(MqttConnectorOptions.PASSWORD, "p"), "password", -1, "a password needs username too");
        assertFails(c -> c.set(MqttConnectorOptions.PASSWORD_FILE, "/f"), "password-file", -1, "needs username too");
        assertFails(c -> c.set(MqttConnectorOptions.USERNAME, "u").set(MqttConnectorOptions.PASSWORD, "p")
                .set(MqttConnectorOptions.PASSWORD_FILE, "/f"), "password-file", -1,
                "expected either password or password-file, not both");
        assertFails(c -> c.set(MqttConnectorOptions.KEEP_ALIVE, Duration.ZERO), "keep-alive", -1, "from 1s to 65535s");
        // MQTT counts whole seconds: 500 ms would be sent as 0, keep-alive off
        assertFails(c -> c.set(MqttConnectorOptions.KEEP_ALIVE, Duration.ofMillis(500)), "keep-alive", -1, "from 1s");
        assertFails(c -> c.set(MqttConnectorOptions.KEEP_ALIVE, Duration.ofSeconds(65_536)), "keep-alive", -1, "65535s");
        assertFails(c -> c.set(MqttConnectorOptions.SESSION_EXPIRY, Duration.ofSeconds(-1)), "session-expiry", -1,
                "above zero");
        assertFails(c -> c.set(MqttConnectorOptions.QUEUE_CAPACITY, 0), "queue-capacity", -1, "above 0");
        assertFails(c -> c.set(MqttConnectorOptions.HAND_OVER_LINGER, Duration.ofSeconds(1)), "hand-over-linger", -1,
                "expected a duration from 0s to 100ms, got PT1S");
        assertFails(c -> c.set(MqttConnectorOptions.MAX_UNACKED, 70_000), "max-unacked", -1, "from 1 to 65535");
        assertFails(c -> c.set(MqttConnectorOptions.SHARED_GROUP, "a/b"), "shared-subscription.group", -1,
                "without '/', '+' or '#'");
        assertFails(c -> c.set(MqttConnectorOptions.CLIENT_ID_PREFIX, "job/1"), "shared-subscription.group", -1,
                "it is the client-id-prefix when unset");
        assertFails(c -> c.set(MqttConnectorOptions.RECONNECT_INITIAL_DELAY, Duration.ZERO), "reconnect.initial-delay",
                -1, "above zero");
        assertFails(c -> c.set(MqttConnectorOptions.RECONNECT_MAX_DELAY, Duration.ZERO), "reconnect.max-delay", -1,
                "above zero");
        assertFails(c -> c.set(MqttConnectorOptions.WARN_DISCONNECTED_AFTER, Duration.ZERO), "warn-disconnected-after",
                -1, "above zero");
        assertFails(c -> c.set(MqttConnectorOptions.WARN_IDLE_AFTER, Duration.ZERO), "warn-idle-after", -1,
                "above zero");
        assertFails(c -> c.set(MqttConnectorOptions.TLS_CERT_FILE, "/c"), "tls.key-file", -1,
                "expected both tls.cert-file and tls.key-file for a client certificate, or neither");
        assertFails(c -> c.set(MqttConnectorOptions.TLS_KEY_FILE, "/k"), "tls.cert-file", -1, "or neither");
        assertFails(c -> c.set(MqttConnectorOptions.TOPIC, "out/+"), "topic", -1, "expected an MQTT topic name");
        assertFails(c -> c.set(MqttConnectorOptions.TOPIC, ""), "topic", -1, "expected an MQTT topic name");
    }

    @Test
    void messagesNameTheOptionsAsTheApplicationCallsThem() {
        Configuration config = valid();
        config.set(MqttConnectorOptions.QOS, 0);
        MqttOptionNames names = MqttOptionNames.of(Map.of("qos", "mqtt.qos", "delivery-guarantee", "mqtt.delivery"));
        assertThatThrownBy(() -> MqttConnectorOptions.validateSource(config, names))
                .isInstanceOf(MqttOptionException.class)
                .hasMessage("mqtt.qos: expected 1 or 2 with mqtt.delivery at-least-once (QoS 0 messages are never"
                        + " redelivered), got 0");
        config.set(MqttConnectorOptions.SERVERS, List.of("x"));
        assertThatThrownBy(() -> MqttConnectorOptions.validateSource(config, names)).hasMessageStartingWith("servers[0]: ");
    }

    @Test
    void theSharedGroupIsTheClientIdPrefixUnlessSet() {
        Configuration config = valid();
        assertThat(MqttConnectorOptions.sharedGroup(config)).isEqualTo("job");
        config.set(MqttConnectorOptions.SHARED_GROUP, "g");
        assertThat(MqttConnectorOptions.sharedGroup(config)).isEqualTo("g");
    }

    @Test
    void aSinksClientIdPrefixNeedNotBeASharedGroupName() {
        Configuration sink = valid();
        sink.removeConfig(MqttConnectorOptions.TOPICS);
        sink.set(MqttConnectorOptions.CLIENT_ID_PREFIX, "plant/commands");
        MqttConnectorOptions.validate(sink, KEYS); // a sink has no shared subscription
        assertThatThrownBy(() -> MqttConnectorOptions.validateSource(valid().set(MqttConnectorOptions.CLIENT_ID_PREFIX,
                "plant/readers"), KEYS)).isInstanceOf(MqttOptionException.class).hasMessageContaining("shared-subscription.group");
        sink.set(MqttConnectorOptions.SHARED_GROUP, "a/b"); // set explicitly: checked wherever it is
        assertThatThrownBy(() -> MqttConnectorOptions.validate(sink, KEYS)).isInstanceOf(MqttOptionException.class)
                .hasMessageContaining("shared-subscription.group");
    }

    private static Configuration valid() {
        Configuration config = new Configuration();
        config.set(MqttConnectorOptions.SERVERS, List.of("tcp://127.0.0.1:1883", "ssl://broker:8883"));
        config.set(MqttConnectorOptions.TOPICS, List.of("sensors/+/+", "plant/#"));
        config.set(MqttConnectorOptions.CLIENT_ID_PREFIX, "job");
        return config;
    }

    private interface Change {
        void apply(Configuration config);
    }

    private static void assertFails(Change change, String key, int index, String reason) {
        Configuration config = valid();
        change.apply(config);
        assertThatThrownBy(() -> MqttConnectorOptions.validateSource(config, KEYS)).as(key)
                .isInstanceOfSatisfying(MqttOptionException.class, e -> {
                    assertThat(e.option().key()).isEqualTo(key);
                    assertThat(e.index()).isEqualTo(index);
                    assertThat(e.reason()).contains(reason);
                    assertThat(e.getMessage()).startsWith(key + (index >= 0 ? "[" + index + "]" : "") + ": ");
                });
    }
}
