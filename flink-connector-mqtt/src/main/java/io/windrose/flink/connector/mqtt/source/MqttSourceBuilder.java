package io.windrose.flink.connector.mqtt.source;

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
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TOPICS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.USERNAME;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_DISCONNECTED_AFTER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_IDLE_AFTER;

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
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Builds an {@link MqttSource}. Every setter sets one of the {@link MqttConnectorOptions} (whose defaults apply to
 * what is not set); {@link #setOptions} takes them from a Flink configuration. Required: servers, topics, a client-id
 * prefix and a deserializer. {@link #build()} checks them all ({@link MqttConnectorOptions#validateSource}).
 */
public final class MqttSourceBuilder<T> {
    private final Configuration config = new Configuration();
    private MqttOptionNames names = MqttOptionNames.keys();
    private MqttDeserializationSchema<T> deserializer;
    private Duration checkpointInterval;

    MqttSourceBuilder() {}

    /** Every {@link MqttConnectorOptions} option {@code options} holds; options it does not hold stay as they are. */
    public MqttSourceBuilder<T> setOptions(ReadableConfig options) {
        for (ConfigOption<?> option : MqttConnectorOptions.ALL) {
            copy(options, option);
        }
        return this;
    }

    private <V> void copy(ReadableConfig from, ConfigOption<V> option) {
        from.getOptional(option).ifPresent(value -> config.set(option, value));
    }

    /** One option; null unsets it (its default applies). */
    public <V> MqttSourceBuilder<T> setOption(ConfigOption<V> option, V value) {
        if (value == null) {
            config.removeConfig(option);
        } else {
            config.set(option, value);
        }
        return this;
    }

    /** What errors and log lines call the options, when the application configures them under keys of its own. */
    public MqttSourceBuilder<T> setOptionNames(MqttOptionNames names) {
        this.names = Objects.requireNonNull(names);
        return this;
    }

    /** Makes the stream's records from each received message. */
    public MqttSourceBuilder<T> setDeserializer(MqttDeserializationSchema<T> deserializer) {
        this.deserializer = Objects.requireNonNull(deserializer);
        return this;
    }

    /** Server URIs (tcp://host:port or ssl://host:port), tried in turn when a connection fails. */
    public MqttSourceBuilder<T> setServers(List<String> servers) {
        return setOption(SERVERS, List.copyOf(servers));
    }

    /** The topic filters to subscribe to. */
    public MqttSourceBuilder<T> setTopics(List<String> topicFilters) {
        return setOption(TOPICS, List.copyOf(topicFilters));
    }

    public MqttSourceBuilder<T> setTopics(String... topicFilters) {
        return setTopics(List.of(topicFilters));
    }

    public MqttSourceBuilder<T> setProtocolVersion(MqttProtocolVersion protocolVersion) {
        return setOption(PROTOCOL_VERSION, Objects.requireNonNull(protocolVersion));
    }

    /** Each reader connects as {@code <prefix>-<subtask index>}, stable across restarts so sessions resume. */
    public MqttSourceBuilder<T> setClientIdPrefix(String clientIdPrefix) {
        return setOption(CLIENT_ID_PREFIX, clientIdPrefix);
    }

    /** Username and password (either may be null); the password may instead come from {@link #setPasswordFile}. */
    public MqttSourceBuilder<T> setCredentials(String username, String password) {
        return setOption(USERNAME, username).setOption(PASSWORD, password);
    }

    /** A file holding the password (read on the task manager at connect time; trailing newline ignored). */
    public MqttSourceBuilder<T> setPasswordFile(String passwordFile) {
        return setOption(PASSWORD_FILE, passwordFile);
    }

    /** TLS settings for ssl:// servers. */
    public MqttSourceBuilder<T> setTls(MqttTlsOptions tls) {
        return setOption(TLS_CA_FILE, tls.caFile()).setOption(TLS_CERT_FILE, tls.certFile())
                .setOption(TLS_KEY_FILE, tls.keyFile()).setOption(TLS_HOSTNAME_VERIFICATION, tls.hostnameVerification());
    }

    /** Subscription QoS; at-least-once needs 1 or 2. */
    public MqttSourceBuilder<T> setQos(int qos) {
        return setOption(QOS, qos);
    }

    public MqttSourceBuilder<T> setDeliveryGuarantee(MqttDeliveryGuarantee deliveryGuarantee) {
        return setOption(DELIVERY_GUARANTEE, Objects.requireNonNull(deliveryGuarantee));
    }

    public MqttSourceBuilder<T> setKeepAlive(Duration keepAlive) {
        return setOption(KEEP_ALIVE, keepAlive);
    }

    /** How long the broker keeps an at-least-once reader's session (and its un-acked messages) while it is away. */
    public MqttSourceBuilder<T> setSessionExpiry(Duration sessionExpiry) {
        return setOption(SESSION_EXPIRY, sessionExpiry);
    }

    /**
     * With parallelism above 1: true subscribes every reader to every filter as {@code $share/<group>/<filter>};
     * false spreads the filters over the readers (for brokers without shared subscriptions).
     */
    public MqttSourceBuilder<T> setSharedSubscription(boolean sharedSubscription) {
        return setOption(SHARED_SUBSCRIPTION, sharedSubscription);
    }

    /** Shared-subscription group ({@code $share/<group>/<filter>}); the client-id prefix when not set. */
    public MqttSourceBuilder<T> setSharedGroup(String sharedGroup) {
        return setOption(SHARED_GROUP, sharedGroup);
    }

    /**
     * Messages held between the MQTT client and Flink per reader (at-most-once); when full, the client stops reading
     * the socket. At-least-once holds up to {@link #setMaxUnacked} instead.
     */
    public MqttSourceBuilder<T> setQueueCapacity(int queueCapacity) {
        return setOption(QUEUE_CAPACITY, queueCapacity);
    }

    /**
     * At-least-once: the most messages a reader holds un-acked (queued, or emitted and waiting for a checkpoint); at
     * the limit it stops reading the socket until a checkpoint completes. Also capped by the server's Receive Maximum.
     * Brokers do not all enforce their own limit (Mosquitto 2.0.11 sends past it once acks flow, and past 65,535 it
     * reuses packet ids), so the reader enforces this one itself.
     */
    public MqttSourceBuilder<T> setMaxUnacked(int maxUnacked) {
        return setOption(MAX_UNACKED, maxUnacked);
    }

    /**
     * How long a reader waits after a message, when few are queued, before handing a batch to Flink; with MQTT 5 its
     * client also pauses reading for half of it after a small socket read. Less CPU per message for up to this much
     * latency; zero hands each message over at once and does not pace reads.
     */
    public MqttSourceBuilder<T> setHandOverLinger(Duration handOverLinger) {
        return setOption(HAND_OVER_LINGER, handOverLinger);
    }

    /** Reconnect back-off: doubles from {@code initial} up to {@code max}, each delay with random jitter. */
    public MqttSourceBuilder<T> setReconnectDelays(Duration initial, Duration max) {
        return setOption(RECONNECT_INITIAL_DELAY, initial).setOption(RECONNECT_MAX_DELAY, max);
    }

    /** A reader disconnected this long, or connected with no message this long, logs a warning and reports stalled. */
    public MqttSourceBuilder<T> setStallWarnings(Duration disconnected, Duration idle) {
        return setOption(WARN_DISCONNECTED_AFTER, disconnected).setOption(WARN_IDLE_AFTER, idle);
    }

    /**
     * The job's checkpoint interval, if the source is to say what it means: at-least-once acks wait for checkpoints,
     * so a reader takes at most max-unacked messages per interval (logged at connect, with a warning when the
     * broker's Receive Maximum is the lower limit).
     */
    public MqttSourceBuilder<T> setCheckpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
        return this;
    }

    /**
     * The source.
     *
     * @throws MqttOptionException naming the first option with a wrong value (see {@link MqttConnectorOptions})
     * @throws IllegalStateException without a deserializer
     */
    public MqttSource<T> build() {
        MqttConnectorOptions.validateSource(config, names);
        if (deserializer == null) {
            throw new IllegalStateException("an MQTT source needs a deserializer (setDeserializer)");
        }
        return new MqttSource<>(MqttSourceOptions.from(config, names, checkpointInterval), deserializer);
    }
}
