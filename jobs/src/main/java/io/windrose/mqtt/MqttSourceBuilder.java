package io.windrose.mqtt;

import io.windrose.mqtt.common.MqttConnectionOptions;
import io.windrose.mqtt.common.MqttDeliveryMode;
import io.windrose.mqtt.common.MqttProtocolVersion;
import io.windrose.mqtt.common.MqttTlsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link MqttSource}. Defaults are {@link MqttSourceConfig}'s: MQTT 5, QoS 1, at-least-once, shared
 * subscriptions, keep-alive 30 s.
 */
public final class MqttSourceBuilder {
    /** The defaults are the pipeline file's: an empty {@code mqtt} section and a new builder build the same source. */
    private static final MqttSourceConfig DEFAULTS = new MqttSourceConfig();

    private List<String> servers = DEFAULTS.servers;
    private MqttProtocolVersion protocolVersion = DEFAULTS.protocolVersion;
    private String clientIdPrefix = DEFAULTS.clientIdPrefix;
    private String username = DEFAULTS.username;
    private String password = DEFAULTS.password;
    private String passwordFile = DEFAULTS.passwordFile;
    private MqttTlsOptions tls = DEFAULTS.tls.toOptions();
    private int qos = DEFAULTS.qos;
    private MqttDeliveryMode deliveryMode = DEFAULTS.delivery;
    private Duration keepAlive = DEFAULTS.keepAlive;
    private Duration sessionExpiry = DEFAULTS.sessionExpiry;
    private final List<String> topicFilters = new ArrayList<>();
    private boolean sharedSubscription = DEFAULTS.sharedSubscription;
    private String sharedGroup = DEFAULTS.sharedGroup;
    private int queueCapacity = DEFAULTS.queueCapacity;
    private int maxUnacked = DEFAULTS.maxUnacked;
    private Duration handOverLinger = DEFAULTS.handOverLinger;
    private Duration reconnectInitialDelay = DEFAULTS.reconnectInitialDelay;
    private Duration reconnectMaxDelay = DEFAULTS.reconnectMaxDelay;
    private Duration disconnectedWarning = DEFAULTS.warnDisconnectedAfter;
    private Duration idleWarning = DEFAULTS.warnIdleAfter;
    private Duration checkpointInterval;

    MqttSourceBuilder() {}

    /** Every setting of a pipeline file's {@code mqtt} section (topic filters and checkpoint interval are set apart). */
    public MqttSourceBuilder setConfig(MqttSourceConfig config) {
        return setServers(config.servers)
                .setProtocolVersion(config.protocolVersion)
                .setClientIdPrefix(config.clientIdPrefix)
                .setCredentials(config.username, config.password)
                .setPasswordFile(config.passwordFile)
                .setTls(config.tls.toOptions())
                .setQos(config.qos)
                .setDeliveryMode(config.delivery)
                .setKeepAlive(config.keepAlive)
                .setSessionExpiry(config.sessionExpiry)
                .setSharedSubscription(config.sharedSubscription)
                .setSharedGroup(config.sharedGroup)
                .setQueueCapacity(config.queueCapacity)
                .setMaxUnacked(config.maxUnacked)
                .setHandOverLinger(config.handOverLinger)
                .setReconnectDelays(config.reconnectInitialDelay, config.reconnectMaxDelay)
                .setStallWarnings(config.warnDisconnectedAfter, config.warnIdleAfter);
    }

    /** Server URIs (tcp://host:port or ssl://host:port), tried in turn when a connection fails. */
    public MqttSourceBuilder setServers(List<String> servers) {
        this.servers = List.copyOf(servers);
        return this;
    }

    public MqttSourceBuilder setProtocolVersion(MqttProtocolVersion protocolVersion) {
        this.protocolVersion = Objects.requireNonNull(protocolVersion);
        return this;
    }

    /** Each reader connects as {@code <prefix>-<subtask index>}, stable across restarts so sessions resume. */
    public MqttSourceBuilder setClientIdPrefix(String clientIdPrefix) {
        this.clientIdPrefix = Objects.requireNonNull(clientIdPrefix);
        return this;
    }

    /** Username and password; the password may instead come from {@link #setPasswordFile(String)}. */
    public MqttSourceBuilder setCredentials(String username, String password) {
        this.username = username;
        this.password = password;
        return this;
    }

    /** A file holding the password (read on the task manager at connect time; trailing newline ignored). */
    public MqttSourceBuilder setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
        return this;
    }

    /** TLS settings for ssl:// servers. */
    public MqttSourceBuilder setTls(MqttTlsOptions tls) {
        this.tls = Objects.requireNonNull(tls);
        return this;
    }

    /** Subscription QoS; at-least-once needs 1 or 2. */
    public MqttSourceBuilder setQos(int qos) {
        this.qos = qos;
        return this;
    }

    public MqttSourceBuilder setDeliveryMode(MqttDeliveryMode deliveryMode) {
        this.deliveryMode = Objects.requireNonNull(deliveryMode);
        return this;
    }

    public MqttSourceBuilder setKeepAlive(Duration keepAlive) {
        this.keepAlive = keepAlive;
        return this;
    }

    /** How long the broker keeps an at-least-once reader's session (and its un-acked messages) while it is away. */
    public MqttSourceBuilder setSessionExpiry(Duration sessionExpiry) {
        this.sessionExpiry = sessionExpiry;
        return this;
    }

    public MqttSourceBuilder addTopicFilters(List<String> filters) {
        this.topicFilters.addAll(filters);
        return this;
    }

    /**
     * With parallelism above 1: true subscribes every reader to every filter as {@code $share/<group>/<filter>};
     * false spreads the filters over the readers (for brokers without shared subscriptions).
     */
    public MqttSourceBuilder setSharedSubscription(boolean sharedSubscription) {
        this.sharedSubscription = sharedSubscription;
        return this;
    }

    /** Shared-subscription group ({@code $share/<group>/<filter>}). */
    public MqttSourceBuilder setSharedGroup(String sharedGroup) {
        this.sharedGroup = sharedGroup;
        return this;
    }

    /**
     * Messages held between the MQTT client and Flink per reader (at-most-once); when full, the client stops reading
     * the socket. At-least-once holds up to {@link #setMaxUnacked} instead.
     */
    public MqttSourceBuilder setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
        return this;
    }

    /**
     * At-least-once: the most messages a reader holds un-acked (queued, or emitted and waiting for a checkpoint); at
     * the limit it stops reading the socket until a checkpoint completes. Also capped by the server's Receive Maximum.
     * Brokers do not all enforce their own limit (Mosquitto 2.0.11 sends past it once acks flow, and past 65,535 it
     * reuses packet ids), so the reader enforces this one itself.
     */
    public MqttSourceBuilder setMaxUnacked(int maxUnacked) {
        this.maxUnacked = maxUnacked;
        return this;
    }

    /**
     * How long a reader waits after a message, when few are queued, before handing a batch to Flink; with MQTT 5 its
     * client also pauses reading for half of it after a small socket read. Less CPU per message for up to this much
     * latency; zero hands each message over at once and does not pace reads.
     */
    public MqttSourceBuilder setHandOverLinger(Duration handOverLinger) {
        this.handOverLinger = handOverLinger;
        return this;
    }

    /** Reconnect back-off: doubles from {@code initial} up to {@code max}, each delay with random jitter. */
    public MqttSourceBuilder setReconnectDelays(Duration initial, Duration max) {
        this.reconnectInitialDelay = initial;
        this.reconnectMaxDelay = max;
        return this;
    }

    /** A reader disconnected this long, or connected with no message this long, logs a warning and reports stalled. */
    public MqttSourceBuilder setStallWarnings(Duration disconnected, Duration idle) {
        this.disconnectedWarning = disconnected;
        this.idleWarning = idle;
        return this;
    }

    /** The job's checkpoint interval: at-least-once acks wait for it; used to warn about Receive Maximum limits. */
    public MqttSourceBuilder setCheckpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
        return this;
    }

    public MqttSource build() {
        if (topicFilters.isEmpty()) {
            throw new IllegalArgumentException("an MQTT source needs at least one topic filter");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("an MQTT source needs at least one server");
        }
        if (deliveryMode == MqttDeliveryMode.AT_LEAST_ONCE && qos == 0) {
            throw new IllegalArgumentException("at-least-once needs QoS 1 or 2: QoS 0 messages are never redelivered");
        }
        if (maxUnacked < 1 || maxUnacked > MqttConnectionOptions.MAX_RECEIVE_MAXIMUM) {
            throw new IllegalArgumentException("max un-acked messages must be 1..65535, got " + maxUnacked);
        }
        if (handOverLinger.isNegative() || handOverLinger.compareTo(MqttSourceConfig.MAX_HAND_OVER_LINGER) > 0) {
            throw new IllegalArgumentException("the hand-over linger must be 0.." + MqttSourceConfig.MAX_HAND_OVER_LINGER
                    + ", got " + handOverLinger);
        }
        if (password != null && passwordFile != null) {
            throw new IllegalArgumentException("give the MQTT password or a password file, not both");
        }
        return new MqttSource(new MqttConnectionOptions(servers, protocolVersion, clientIdPrefix, username, password,
                passwordFile, tls, qos, deliveryMode, keepAlive, sessionExpiry, topicFilters, sharedSubscription,
                sharedGroup, queueCapacity, maxUnacked, handOverLinger, reconnectInitialDelay, reconnectMaxDelay, disconnectedWarning, idleWarning,
                checkpointInterval));
    }
}
