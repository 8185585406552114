package io.windrose.mqtt;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.RelativePath;
import io.windrose.mqtt.common.MqttConnectionOptions;
import io.windrose.mqtt.common.MqttDeliveryMode;
import io.windrose.mqtt.common.MqttProtocolVersion;
import io.windrose.mqtt.common.MqttTlsOptions;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code mqtt} section of a pipeline file: the source's connection, subscription and delivery settings. The
 * defaults here are also {@link MqttSourceBuilder}'s.
 */
public final class MqttSourceConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "mqtt", "mqtts");
    /** The longest hand-over linger: Flink's own default buffer timeout. */
    public static final Duration MAX_HAND_OVER_LINGER = Duration.ofMillis(100);

    /** Tried in order when a connection fails: tcp://host:port or ssl://host:port. */
    public List<String> servers = new ArrayList<>(List.of("tcp://127.0.0.1:1883"));
    public MqttProtocolVersion protocolVersion = MqttProtocolVersion.V5;
    /** Reader n connects as {@code <prefix>-<n>}: unique per job, stable across restarts. */
    public String clientIdPrefix = "windrose";
    public String username;
    /** Better from the environment: password: ${MQTT_PASSWORD}. */
    public String password;
    /** A file holding the password, read on the task manager (e.g. a mounted secret). */
    @JsonDeserialize(using = RelativePath.class)
    public String passwordFile;
    public Tls tls = new Tls();
    public int qos = 1;
    public MqttDeliveryMode delivery = MqttDeliveryMode.AT_LEAST_ONCE;
    public Duration keepAlive = Duration.ofSeconds(30);
    /** How long the broker keeps an at-least-once reader's session and un-acked messages while it is away. */
    public Duration sessionExpiry = Duration.ofHours(1);
    /** At parallelism above 1: $share/<group>/<filter> (true) or filters dealt out over the readers (false). */
    public boolean sharedSubscription = true;
    public String sharedGroup = "windrose";
    /** Messages held between client and Flink per reader with at-most-once. */
    public int queueCapacity = 10_000;
    /** At-least-once: most un-acked messages per reader (1..65535); at most this many per checkpoint interval. */
    public int maxUnacked = 50_000;
    /**
     * How long a reader waits after a message, when few are queued, before handing a batch to Flink, and (MQTT 5) half
     * of it after a small socket read: fewer thread wake-ups per message for up to this much latency; 0s: neither.
     */
    public Duration handOverLinger = Duration.ofMillis(2);
    public Duration reconnectInitialDelay = Duration.ofMillis(250);
    public Duration reconnectMaxDelay = Duration.ofSeconds(30);
    /** A reader disconnected this long logs a warning and reports stalled. */
    public Duration warnDisconnectedAfter = Duration.ofSeconds(30);
    /** A connected reader without a message this long logs a warning and reports stalled. */
    public Duration warnIdleAfter = Duration.ofMinutes(5);

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
        public boolean hostnameVerification = true;

        public MqttTlsOptions toOptions() {
            return new MqttTlsOptions(caFile, certFile, keyFile, hostnameVerification);
        }

        @Override
        public void validate(ConfigCheck check) {
            check.readableFile(caFile, "ca-file");
            check.readableFile(certFile, "cert-file");
            check.readableFile(keyFile, "key-file");
            check.require((certFile == null) == (keyFile == null), "",
                    "expected both cert-file and key-file for a client certificate, or neither");
        }
    }

    @Override
    public void validate(ConfigCheck check) {
        check.require(!servers.isEmpty(), "servers", "expected at least one server URI such as tcp://127.0.0.1:1883");
        for (int i = 0; i < servers.size(); i++) {
            serverUri(check, servers.get(i), "servers[" + i + "]");
        }
        check.notBlank(clientIdPrefix, "client-id-prefix", "expected a non-empty client id prefix");
        check.require(qos >= 0 && qos <= 2, "qos", "expected 0, 1 or 2, got " + qos);
        check.require(password == null || username != null, "password", "a password needs mqtt.username too");
        check.require(passwordFile == null || username != null, "password-file", "a password file needs mqtt.username too");
        check.require(password == null || passwordFile == null, "password-file",
                "expected either mqtt.password or mqtt.password-file, not both");
        check.readableFile(passwordFile, "password-file");
        check.require(qos > 0 || delivery != MqttDeliveryMode.AT_LEAST_ONCE, "qos",
                "expected 1 or 2 with mqtt.delivery at-least-once (QoS 0 messages are never redelivered), got 0");
        check.positive(keepAlive, "keep-alive");
        check.positive(sessionExpiry, "session-expiry");
        check.require(queueCapacity > 0, "queue-capacity", "expected a whole number above 0");
        check.require(!handOverLinger.isNegative() && handOverLinger.compareTo(MAX_HAND_OVER_LINGER) <= 0,
                "hand-over-linger", "expected a duration from 0s to " + MAX_HAND_OVER_LINGER.toMillis() + "ms, got "
                        + handOverLinger);
        check.require(maxUnacked > 0 && maxUnacked <= MqttConnectionOptions.MAX_RECEIVE_MAXIMUM, "max-unacked",
                "expected a whole number from 1 to 65535 (MQTT packet identifiers are 16 bits), got " + maxUnacked);
        check.require(sharedGroup != null && !sharedGroup.isBlank() && !sharedGroup.matches(".*[/+#].*"), "shared-group",
                "expected a group name without '/', '+' or '#'");
        check.positive(reconnectInitialDelay, "reconnect-initial-delay");
        check.positive(reconnectMaxDelay, "reconnect-max-delay");
        check.positive(warnDisconnectedAfter, "warn-disconnected-after");
        check.positive(warnIdleAfter, "warn-idle-after");
        check.section("tls", tls);
    }

    private static void serverUri(ConfigCheck check, String value, String key) {
        boolean ok;
        try {
            URI uri = URI.create(value);
            ok = SCHEMES.contains(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            ok = false;
        }
        check.require(ok, key, "expected tcp://host:port or ssl://host:port, got '" + value + "'");
    }
}
