package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.config.ConfigException;
import io.windrose.config.ConfigFileLoader;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every key of the pipeline file's {@code mqtt} section reaches the MQTT connector, as the option it stands for: a
 * section with a value other than the default for every key builds a source whose options hold each of them (a
 * dropped or swapped mapping fails here), and the connector's errors and messages name the section's keys.
 */
class MqttSourcesTest {
    private static final List<String> TOPICS = List.of("plant/+/temperature");
    private static final Duration CHECKPOINTS = Duration.ofSeconds(7);

    @TempDir
    Path dir;

    @Test
    void everyKeyWithAValueOtherThanItsDefaultArrivesInTheConnectorsOptions() throws IOException {
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
                  tls:
                    ca-file: %s
                    cert-file: %s
                    key-file: %s
                    hostname-verification: false
                  qos: 2
                  delivery: at-most-once
                  keep-alive: 17s
                  session-expiry: 2h
                  shared-subscription: false
                  shared-group: group-7
                  queue-capacity: 1234
                  max-unacked: 4321
                  hand-over-linger: 7ms
                  reconnect-initial-delay: 123ms
                  reconnect-max-delay: 45s
                  warn-disconnected-after: 67s
                  warn-idle-after: 8m
                """.formatted(ca, cert, key));
        MqttSourceOptions o = source(config.mqtt);
        MqttConnectionOptions c = o.connection();
        assertThat(c.servers()).containsExactly("ssl://a.example:8883", "mqtts://b.example");
        assertThat(c.protocolVersion()).isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(o.clientIdPrefix()).isEqualTo("plant-7");
        assertThat(c.username()).isEqualTo("reader");
        assertThat(c.password()).isEqualTo("s3cret");
        assertThat(c.tls()).isEqualTo(new MqttTlsOptions(ca, cert, key, false));
        assertThat(o.qos()).isEqualTo(2);
        assertThat(o.deliveryGuarantee()).isEqualTo(MqttDeliveryGuarantee.AT_MOST_ONCE);
        assertThat(c.keepAlive()).isEqualTo(Duration.ofSeconds(17));
        assertThat(o.sessionExpiry()).isEqualTo(Duration.ofHours(2));
        assertThat(o.sharedSubscription()).isFalse();
        assertThat(o.sharedGroup()).isEqualTo("group-7");
        assertThat(o.queueCapacity()).isEqualTo(1234);
        assertThat(o.maxUnacked()).isEqualTo(4321);
        assertThat(o.handOverLinger()).isEqualTo(Duration.ofMillis(7));
        assertThat(c.reconnectInitialDelay()).isEqualTo(Duration.ofMillis(123));
        assertThat(c.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(45));
        assertThat(o.disconnectedWarning()).isEqualTo(Duration.ofSeconds(67));
        assertThat(o.idleWarning()).isEqualTo(Duration.ofMinutes(8));
        assertThat(o.topicFilters()).isEqualTo(TOPICS);
        assertThat(o.checkpointInterval()).isEqualTo(CHECKPOINTS);

        // the password file instead of the password (they exclude each other)
        String secret = file("secret");
        MqttSourceOptions withFile = source(load("mqtt:\n  username: reader\n  password-file: " + secret + "\n").mqtt);
        assertThat(withFile.connection().passwordFile()).isEqualTo(secret);
        assertThat(withFile.connection().password()).isNull();

        // nothing above was a default: every setting of the connector differs from what an empty section gives
        MqttSourceOptions defaults = source(new MqttSourceConfig());
        List<String> same = sameComponents("", o, defaults);
        assertThat(same).as("settings left at their defaults (or not mapped)")
                .containsExactlyInAnyOrder("connection.passwordFile", "connection.names", "topicFilters",
                        "checkpointInterval");
        assertThat(withFile.connection().passwordFile()).isNotEqualTo(defaults.connection().passwordFile());
    }

    @Test
    void theTestAboveSetsEveryKeyOfTheSectionAndEveryOptionOfTheConnectorHasAKey() {
        Set<String> sectionKeys = keys(ConfigFileLoader.mapper().valueToTree(new MqttSourceConfig()), "");
        Set<String> mapped = new TreeSet<>(MqttSources.KEYS.values());
        assertThat(mapped).as("keys of the mqtt section mapped to connector options").isEqualTo(sectionKeys);
        List<ConfigOption<?>> unmapped = new ArrayList<>(MqttConnectorOptions.ALL);
        unmapped.removeAll(MqttSources.KEYS.keySet());
        assertThat(unmapped).as("connector options without a key of the mqtt section (topics come from the routes,"
                + " the sink's own options from actions.mqtt, the default topic is the SQL sink's)")
                .containsExactly(MqttConnectorOptions.TOPICS, MqttConnectorOptions.TOPIC,
                        MqttConnectorOptions.SINK_RETRY_TIMEOUT,
                        MqttConnectorOptions.SINK_MAX_IN_FLIGHT, MqttConnectorOptions.SINK_MAX_RECORDS_PER_SECOND);
        // the YAML above names each of these keys once (the password file in its own section)
        assertThat(sectionKeys).hasSize(23);
    }

    @Test
    void theConnectorsErrorsAndMessagesNameTheSectionsKeys() {
        assertThatThrownBy(() -> load("mqtt:\n  servers: [tcp://ok:1883, 'http://broker:1883']\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'mqtt.servers[1]'")
                .hasMessageContaining("expected tcp://host:port or ssl://host:port, got 'http://broker:1883'");
        assertThatThrownBy(() -> load("mqtt:\n  shared-group: a/b\n"))
                .hasMessageContaining("key 'mqtt.shared-group'").hasMessageContaining("without '/'");
        assertThatThrownBy(() -> load("mqtt:\n  reconnect-max-delay: 0s\n"))
                .hasMessageContaining("key 'mqtt.reconnect-max-delay'");
        MqttSourceOptions options = source(new MqttSourceConfig());
        assertThat(options.name(MqttConnectorOptions.PASSWORD_FILE)).isEqualTo("mqtt.password-file");
        assertThat(options.name(MqttConnectorOptions.DELIVERY_GUARANTEE)).isEqualTo("mqtt.delivery");
        assertThat(options.connection().names().of(MqttSourceOptions.CHECKPOINT_INTERVAL_KEY))
                .isEqualTo("job.checkpoint-interval");
    }

    private static MqttSourceOptions source(MqttSourceConfig mqtt) {
        return MqttSources.builder(mqtt).setTopics(TOPICS).setCheckpointInterval(CHECKPOINTS).build().options();
    }

    private PipelineConfig load(String mqtt) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, "routes:\n  - name: plant\n    topic-template: plant/{sensor}/temperature\n" + mqtt);
        return new PipelineConfigLoader().load(file, List.of());
    }

    private String file(String name) throws IOException {
        return Files.writeString(dir.resolve(name), "x").toString();
    }

    /** The record components (recursively through nested records) equal in both. */
    private static List<String> sameComponents(String prefix, Record a, Record b) {
        List<String> same = new ArrayList<>();
        for (RecordComponent component : a.getClass().getRecordComponents()) {
            try {
                Object x = component.getAccessor().invoke(a);
                Object y = component.getAccessor().invoke(b);
                String name = prefix + component.getName();
                if (x instanceof Record rx) {
                    same.addAll(sameComponents(name + ".", rx, (Record) y));
                } else if (Objects.equals(x, y)) {
                    same.add(name);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return same;
    }

    private static Set<String> keys(JsonNode node, String path) {
        Set<String> keys = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path + field.getKey();
            if (field.getValue().isObject()) {
                keys.addAll(keys(field.getValue(), key + "."));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }
}
