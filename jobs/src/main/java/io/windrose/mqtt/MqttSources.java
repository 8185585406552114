package io.windrose.mqtt;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.CLIENT_ID_PREFIX;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.DELIVERY_GUARANTEE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.HAND_OVER_LINGER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.KEEP_ALIVE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.MAX_UNACKED;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PROTOCOL_VERSION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QOS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QUEUE_CAPACITY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_INITIAL_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_MAX_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SERVERS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SESSION_EXPIRY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SHARED_GROUP;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SHARED_SUBSCRIPTION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CA_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CERT_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_HOSTNAME_VERIFICATION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_KEY_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.USERNAME;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_DISCONNECTED_AFTER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_IDLE_AFTER;

import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttOptionNames;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.sink.MqttSink;
import io.windrose.flink.connector.mqtt.sink.MqttSinkBuilder;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.MqttSourceBuilder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The pipeline file's {@code mqtt} section on the MQTT connector: which key is which connector option, the section
 * as connector options, and the connector's source builder set up with them, with Windrose's {@link MqttMessage}
 * records and the section's keys in the connector's messages. Topics come from the routes, not from this section.
 */
public final class MqttSources {
    /** The {@code mqtt} section's key of each connector option it sets. */
    static final Map<ConfigOption<?>, String> KEYS = keys();

    /** The options as the pipeline file names them: {@code mqtt.<key>}, and the job's checkpoint interval. */
    static final MqttOptionNames NAMES = names();

    private MqttSources() {}

    private static Map<ConfigOption<?>, String> keys() {
        Map<ConfigOption<?>, String> keys = new LinkedHashMap<>();
        keys.put(SERVERS, "servers");
        keys.put(PROTOCOL_VERSION, "protocol-version");
        keys.put(CLIENT_ID_PREFIX, "client-id-prefix");
        keys.put(USERNAME, "username");
        keys.put(PASSWORD, "password");
        keys.put(PASSWORD_FILE, "password-file");
        keys.put(TLS_CA_FILE, "tls.ca-file");
        keys.put(TLS_CERT_FILE, "tls.cert-file");
        keys.put(TLS_KEY_FILE, "tls.key-file");
        keys.put(TLS_HOSTNAME_VERIFICATION, "tls.hostname-verification");
        keys.put(QOS, "qos");
        keys.put(DELIVERY_GUARANTEE, "delivery");
        keys.put(KEEP_ALIVE, "keep-alive");
        keys.put(SESSION_EXPIRY, "session-expiry");
        keys.put(SHARED_SUBSCRIPTION, "shared-subscription");
        keys.put(SHARED_GROUP, "shared-group");
        keys.put(QUEUE_CAPACITY, "queue-capacity");
        keys.put(MAX_UNACKED, "max-unacked");
        keys.put(HAND_OVER_LINGER, "hand-over-linger");
        keys.put(RECONNECT_INITIAL_DELAY, "reconnect-initial-delay");
        keys.put(RECONNECT_MAX_DELAY, "reconnect-max-delay");
        keys.put(WARN_DISCONNECTED_AFTER, "warn-disconnected-after");
        keys.put(WARN_IDLE_AFTER, "warn-idle-after");
        return Map.copyOf(keys);
    }

    private static MqttOptionNames names() {
        Map<String, String> names = new HashMap<>();
        KEYS.forEach((option, key) -> names.put(option.key(), "mqtt." + key));
        names.put(MqttSourceOptions.CHECKPOINT_INTERVAL_KEY, "job.checkpoint-interval");
        return MqttOptionNames.of(names);
    }

    /** The section as connector options (unset keys stay unset: the connector's defaults apply). */
    public static Configuration options(MqttSourceConfig mqtt) {
        Configuration options = new Configuration();
        set(options, SERVERS, mqtt.servers);
        set(options, PROTOCOL_VERSION, mqtt.protocolVersion);
        set(options, CLIENT_ID_PREFIX, mqtt.clientIdPrefix);
        set(options, USERNAME, mqtt.username);
        set(options, PASSWORD, mqtt.password);
        set(options, PASSWORD_FILE, mqtt.passwordFile);
        if (mqtt.tls != null) {
            set(options, TLS_CA_FILE, mqtt.tls.caFile);
            set(options, TLS_CERT_FILE, mqtt.tls.certFile);
            set(options, TLS_KEY_FILE, mqtt.tls.keyFile);
            set(options, TLS_HOSTNAME_VERIFICATION, mqtt.tls.hostnameVerification);
        }
        set(options, QOS, mqtt.qos);
        set(options, DELIVERY_GUARANTEE, mqtt.delivery);
        set(options, KEEP_ALIVE, mqtt.keepAlive);
        set(options, SESSION_EXPIRY, mqtt.sessionExpiry);
        set(options, SHARED_SUBSCRIPTION, mqtt.sharedSubscription);
        set(options, SHARED_GROUP, mqtt.sharedGroup);
        set(options, QUEUE_CAPACITY, mqtt.queueCapacity);
        set(options, MAX_UNACKED, mqtt.maxUnacked);
        set(options, HAND_OVER_LINGER, mqtt.handOverLinger);
        set(options, RECONNECT_INITIAL_DELAY, mqtt.reconnectInitialDelay);
        set(options, RECONNECT_MAX_DELAY, mqtt.reconnectMaxDelay);
        set(options, WARN_DISCONNECTED_AFTER, mqtt.warnDisconnectedAfter);
        set(options, WARN_IDLE_AFTER, mqtt.warnIdleAfter);
        return options;
    }

    private static <V> void set(Configuration options, ConfigOption<V> option, V value) {
        if (value != null) {
            options.set(option, value);
        }
    }

    /** The connector's source builder with the section's settings and Windrose's records; add topics and build. */
    public static MqttSourceBuilder<MqttMessage> builder(MqttSourceConfig mqtt) {
        return MqttSource.<MqttMessage>builder()
                .setOptionNames(NAMES)
                .setOptions(options(mqtt))
                .setDeserializer(new MqttMessageSchema());
    }

    /**
     * The connector's sink builder with the section's connection settings (servers, protocol version, credentials,
     * TLS, keep-alive, reconnect back-off; not the source's QoS or delivery guarantee) and its keys in the
     * connector's messages, {@code names} naming the sink's further options; set a client-id prefix, a schema and build.
     */
    public static <T> MqttSinkBuilder<T> sinkBuilder(MqttSourceConfig mqtt, Map<ConfigOption<?>, String> names) {
        Map<String, String> all = new HashMap<>();
        KEYS.forEach((option, key) -> all.put(option.key(), "mqtt." + key));
        names.forEach((option, name) -> all.put(option.key(), name));
        return MqttSink.<T>builder()
                .setOptionNames(MqttOptionNames.of(all))
                .setOptions(options(mqtt))
                .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_LEAST_ONCE);
    }

    /** The section's key (below {@code mqtt}) of the option a connector error is about. */
    static String key(MqttOptionException e) {
        return KEYS.getOrDefault(e.option(), e.option().key()) + (e.index() >= 0 ? "[" + e.index() + "]" : "");
    }
}
