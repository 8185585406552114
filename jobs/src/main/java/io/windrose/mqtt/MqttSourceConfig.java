package io.windrose.mqtt;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.DELIVERY_GUARANTEE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.HAND_OVER_LINGER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.KEEP_ALIVE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.MAX_UNACKED;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PROTOCOL_VERSION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QOS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QUEUE_CAPACITY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_INITIAL_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_MAX_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SESSION_EXPIRY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SHARED_SUBSCRIPTION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_HOSTNAME_VERIFICATION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_DISCONNECTED_AFTER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_IDLE_AFTER;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.RelativePath;
import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mqtt} section of a pipeline file: the source's connection, subscription and delivery settings (the
 * command sink connects with them too). Each key is an option of the MQTT connector, mapped by {@link MqttSources};
 * the defaults are the connector's, except the broker, the client-id prefix and the shared group, which Windrose
 * chooses. The connector checks the values ({@link MqttConnectorOptions#validate}); this section checks that the files
 * it names can be read.
 */
public final class MqttSourceConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;

    /** Tried in order when a connection fails: tcp://host:port or ssl://host:port. */
    public List<String> servers = new ArrayList<>(List.of("tcp://127.0.0.1:1883"));
    @JsonDeserialize(using = ProtocolVersionBinding.class)
    public MqttProtocolVersion protocolVersion = PROTOCOL_VERSION.defaultValue();
    /** Reader n connects as {@code <prefix>-<n>}: unique per job, stable across restarts. */
    public String clientIdPrefix = "windrose";
    public String username;
    /** Better from the environment: password: ${MQTT_PASSWORD}. */
    public String password;
    /** A file holding the password, read on the task manager (e.g. a mounted secret). */
    @JsonDeserialize(using = RelativePath.class)
    public String passwordFile;
    public Tls tls = new Tls();
    public int qos = QOS.defaultValue();
    public MqttDeliveryGuarantee delivery = DELIVERY_GUARANTEE.defaultValue();
    public Duration keepAlive = KEEP_ALIVE.defaultValue();
    /** How long the broker keeps an at-least-once reader's session and un-acked messages while it is away. */
    public Duration sessionExpiry = SESSION_EXPIRY.defaultValue();
    /** At parallelism above 1: $share/<group>/<filter> (true) or filters dealt out over the readers (false). */
    public boolean sharedSubscription = SHARED_SUBSCRIPTION.defaultValue();
    public String sharedGroup = "windrose";
    /** Messages held between client and Flink per reader with at-most-once. */
    public int queueCapacity = QUEUE_CAPACITY.defaultValue();
    /** At-least-once: most un-acked messages per reader (1..65535); at most this many per checkpoint interval. */
    public int maxUnacked = MAX_UNACKED.defaultValue();
    /**
     * How long a reader waits after a message, when few are queued, before handing a batch to Flink, and (MQTT 5) half
     * of it after a small socket read: fewer thread wake-ups per message for up to this much latency; 0s: neither.
     */
    public Duration handOverLinger = HAND_OVER_LINGER.defaultValue();
    public Duration reconnectInitialDelay = RECONNECT_INITIAL_DELAY.defaultValue();
    public Duration reconnectMaxDelay = RECONNECT_MAX_DELAY.defaultValue();
    /** A reader disconnected this long logs a warning and reports stalled. */
    public Duration warnDisconnectedAfter = WARN_DISCONNECTED_AFTER.defaultValue();
    /** A connected reader without a message this long logs a warning and reports stalled. */
    public Duration warnIdleAfter = WARN_IDLE_AFTER.defaultValue();

    /** TLS for ssl:// servers (PEM files). */
    public static final class Tls implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** CA certificate(s) to trust; the JVM's trust store when absent. */
        @JsonDeserialize(using = RelativePath.class)
        public String caFile;
        /** Client certificate for mutual TLS, with its PKCS#8 key. */
        @JsonDeserialize(using = RelativePath.class)
        public String certFile;
        @JsonDeserialize(using = RelativePath.class)
        public String keyFile;
        public boolean hostnameVerification = TLS_HOSTNAME_VERIFICATION.defaultValue();

        public MqttTlsOptions toOptions() {
            return new MqttTlsOptions(caFile, certFile, keyFile, hostnameVerification);
        }

        /** The files must be readable where the job starts (the values are the connector's to check). */
        @Override
        public void validate(ConfigCheck check) {
            check.readableFile(caFile, "ca-file");
            check.readableFile(certFile, "cert-file");
            check.readableFile(keyFile, "key-file");
        }
    }

    /** The connector's checks, reported against this section's keys; then the files it names. */
    @Override
    public void validate(ConfigCheck check) {
        try {
            MqttConnectorOptions.validate(MqttSources.options(this), MqttSources.NAMES);
        } catch (MqttOptionException e) {
            throw check.error(MqttSources.key(e), e.reason());
        }
        check.readableFile(passwordFile, "password-file");
        check.section("tls", tls);
    }

    /** {@code protocol-version}: 5 (or 5.0) and 3.1.1 (or 3). */
    public static final class ProtocolVersionBinding extends StdScalarDeserializer<MqttProtocolVersion> {
        private static final long serialVersionUID = 1L;

        public ProtocolVersionBinding() {
            super(MqttProtocolVersion.class);
        }

        @Override
        public MqttProtocolVersion deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return MqttProtocolVersion.parse(p.getValueAsString());
        }
    }
}
