package io.windrose.flink.connector.mqtt.sink;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.CLIENT_ID_PREFIX;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.DELIVERY_GUARANTEE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.KEEP_ALIVE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PROTOCOL_VERSION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_INITIAL_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_MAX_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SERVERS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_MAX_IN_FLIGHT;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_MAX_RECORDS_PER_SECOND;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_RETRY_TIMEOUT;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CA_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CERT_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_HOSTNAME_VERIFICATION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_KEY_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.USERNAME;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttOptionNames;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSinkOptions;
import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Builds an {@link MqttSink}. Every setter sets one of the {@link MqttConnectorOptions} (whose defaults apply to what
 * is not set); {@link #setOptions} takes the sink's ({@link MqttConnectorOptions#SINK}) from a Flink configuration.
 * Required: servers, a client-id prefix and a serialization schema. {@link #build()} checks them all in the
 * connector's one place ({@link MqttConnectorOptions#validate}).
 */
public final class MqttSinkBuilder<T> {
    private final Configuration config = new Configuration();
    private MqttOptionNames names = MqttOptionNames.keys();
    private MqttRecordSerializationSchema<T> serializer;
    private String metricGroup = "mqtt";

    MqttSinkBuilder() {}

    /** Every option of {@link MqttConnectorOptions#SINK} that {@code options} holds; others stay as they are. */
    public MqttSinkBuilder<T> setOptions(ReadableConfig options) {
        for (ConfigOption<?> option : MqttConnectorOptions.SINK) {
            copy(options, option);
        }
        return this;
    }

    private <V> void copy(ReadableConfig from, ConfigOption<V> option) {
        from.getOptional(option).ifPresent(value -> config.set(option, value));
    }

    /** One option; null unsets it (its default applies). */
    public <V> MqttSinkBuilder<T> setOption(ConfigOption<V> option, V value) {
        if (value == null) {
            config.removeConfig(option);
        } else {
            config.set(option, value);
        }
        return this;
    }

    /** What errors and log lines call the options, when the application configures them under keys of its own. */
    public MqttSinkBuilder<T> setOptionNames(MqttOptionNames names) {
        this.names = Objects.requireNonNull(names);
        return this;
    }

    /** Makes the message to publish from each record. */
    public MqttSinkBuilder<T> setSerializationSchema(MqttRecordSerializationSchema<T> serializer) {
        this.serializer = Objects.requireNonNull(serializer);
        return this;
    }

    /**
     * The metric group of the writers' own counters {@code <group>.sent} (publishes acknowledged, or handed to the
     * client with at-most-once) and {@code <group>.failed} (failed attempts); default {@code mqtt}. Flink's
     * {@code numRecordsSend} / {@code numRecordsOut} count every record published.
     */
    public MqttSinkBuilder<T> setMetricGroup(String metricGroup) {
        this.metricGroup = Objects.requireNonNull(metricGroup);
        return this;
    }

    /** Server URIs (tcp://host:port or ssl://host:port), tried in turn when a connection fails. */
    public MqttSinkBuilder<T> setServers(List<String> servers) {
        return setOption(SERVERS, List.copyOf(servers));
    }

    public MqttSinkBuilder<T> setProtocolVersion(MqttProtocolVersion protocolVersion) {
        return setOption(PROTOCOL_VERSION, Objects.requireNonNull(protocolVersion));
    }

    /** Writer n connects as {@code <prefix>-<subtask index>}: unique per job. */
    public MqttSinkBuilder<T> setClientIdPrefix(String clientIdPrefix) {
        return setOption(CLIENT_ID_PREFIX, clientIdPrefix);
    }

    /** Username and password (either may be null); the password may instead come from {@link #setPasswordFile}. */
    public MqttSinkBuilder<T> setCredentials(String username, String password) {
        return setOption(USERNAME, username).setOption(PASSWORD, password);
    }

    /** A file holding the password (read on the task manager at connect time; trailing newline ignored). */
    public MqttSinkBuilder<T> setPasswordFile(String passwordFile) {
        return setOption(PASSWORD_FILE, passwordFile);
    }

    /** TLS settings for ssl:// servers. */
    public MqttSinkBuilder<T> setTls(MqttTlsOptions tls) {
        return setOption(TLS_CA_FILE, tls.caFile()).setOption(TLS_CERT_FILE, tls.certFile())
                .setOption(TLS_KEY_FILE, tls.keyFile()).setOption(TLS_HOSTNAME_VERIFICATION, tls.hostnameVerification());
    }

    /**
     * At-least-once (default): every QoS 1/2 publish is acknowledged before a checkpoint completes; at-most-once:
     * published without waiting.
     */
    public MqttSinkBuilder<T> setDeliveryGuarantee(MqttDeliveryGuarantee deliveryGuarantee) {
        return setOption(DELIVERY_GUARANTEE, Objects.requireNonNull(deliveryGuarantee));
    }

    public MqttSinkBuilder<T> setKeepAlive(Duration keepAlive) {
        return setOption(KEEP_ALIVE, keepAlive);
    }

    /** Reconnect back-off: doubles from {@code initial} up to {@code max}, each delay with random jitter. */
    public MqttSinkBuilder<T> setReconnectDelays(Duration initial, Duration max) {
        return setOption(RECONNECT_INITIAL_DELAY, initial).setOption(RECONNECT_MAX_DELAY, max);
    }

    /** At-least-once: how long an unacknowledged publish is retried (with back-off) before the job fails. */
    public MqttSinkBuilder<T> setRetryTimeout(Duration retryTimeout) {
        return setOption(SINK_RETRY_TIMEOUT, retryTimeout);
    }

    /** At-least-once: the most publishes a writer has awaiting acknowledgement; at the limit it waits. */
    public MqttSinkBuilder<T> setMaxInFlight(int maxInFlight) {
        return setOption(SINK_MAX_IN_FLIGHT, maxInFlight);
    }

    /** The most publishes per second of one writer (more wait: back-pressure); null for unlimited. */
    public MqttSinkBuilder<T> setMaxRecordsPerSecond(Integer maxRecordsPerSecond) {
        return setOption(SINK_MAX_RECORDS_PER_SECOND, maxRecordsPerSecond);
    }

    /**
     * The sink.
     *
     * @throws MqttOptionException naming the first option with a wrong value (see {@link MqttConnectorOptions})
     * @throws IllegalStateException without a serialization schema
     */
    public MqttSink<T> build() {
        MqttConnectorOptions.validate(config, names);
        if (serializer == null) {
            throw new IllegalStateException("an MQTT sink needs a serialization schema (setSerializationSchema)");
        }
        return new MqttSink<>(MqttSinkOptions.from(config, names), serializer, metricGroup);
    }
}
