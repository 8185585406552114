package io.windrose.flink.connector.mqtt.common;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Every option of the MQTT connector, declared once (key, type, default, description), and their validation: the one
 * place that says which values are allowed and how options depend on each other. The builders set these options;
 * an application with a configuration of its own maps it onto them and passes {@link MqttOptionNames} so that errors
 * name its keys.
 */
public final class MqttConnectorOptions {
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "mqtt", "mqtts");

    /** The longest hand-over linger: Flink's own default buffer timeout. */
    public static final Duration MAX_HAND_OVER_LINGER = Duration.ofMillis(100);

    public static final ConfigOption<List<String>> SERVERS = ConfigOptions.key("servers")
            .stringType().asList().noDefaultValue()
            .withDescription("Broker URIs, tcp://host:port or ssl://host:port (also mqtt://, mqtts://), tried in order"
                    + " when a connection fails.");

    public static final ConfigOption<MqttProtocolVersion> PROTOCOL_VERSION = ConfigOptions.key("protocol-version")
            .enumType(MqttProtocolVersion.class).defaultValue(MqttProtocolVersion.V5)
            .withDescription("The MQTT version the clients speak: 5 or 3.1.1.");

    public static final ConfigOption<String> CLIENT_ID_PREFIX = ConfigOptions.key("client-id-prefix")
            .stringType().noDefaultValue()
            .withDescription("Reader n connects as <prefix>-<n>: unique per job (two jobs must not share it) and"
                    + " stable across restarts, so that persistent sessions resume.");

    public static final ConfigOption<String> USERNAME = ConfigOptions.key("username")
            .stringType().noDefaultValue()
            .withDescription("User name for the broker; none by default.");

    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password")
            .stringType().noDefaultValue()
            .withDescription("Password for the broker (needs username). Never printed.");

    public static final ConfigOption<String> PASSWORD_FILE = ConfigOptions.key("password-file")
            .stringType().noDefaultValue()
            .withDescription("A file holding the password (needs username; not with password), read on each task"
                    + " manager when a client connects, e.g. a mounted secret; a trailing newline is ignored.");

    public static final ConfigOption<String> TLS_CA_FILE = ConfigOptions.key("tls.ca-file")
            .stringType().noDefaultValue()
            .withDescription("PEM CA certificate(s) to trust for ssl:// servers; the JVM's trust store when unset.");

    public static final ConfigOption<String> TLS_CERT_FILE = ConfigOptions.key("tls.cert-file")
            .stringType().noDefaultValue()
            .withDescription("PEM client certificate (chain) for mutual TLS; needs tls.key-file.");

    public static final ConfigOption<String> TLS_KEY_FILE = ConfigOptions.key("tls.key-file")
            .stringType().noDefaultValue()
            .withDescription("The client certificate's private key: an unencrypted PKCS#8 PEM file (BEGIN PRIVATE KEY).");

    public static final ConfigOption<Boolean> TLS_HOSTNAME_VERIFICATION = ConfigOptions.key("tls.hostname-verification")
            .booleanType().defaultValue(true)
            .withDescription("Whether the server certificate must name the host connected to.");

    public static final ConfigOption<Integer> QOS = ConfigOptions.key("qos")
            .intType().defaultValue(1)
            .withDescription("Subscription QoS: 0, 1 or 2; at-least-once needs 1 or 2. In a SQL sink table also the"
                    + " QoS of the rows without one of their own (a qos metadata column).");

    public static final ConfigOption<MqttDeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions.key("delivery-guarantee")
            .enumType(MqttDeliveryGuarantee.class).defaultValue(MqttDeliveryGuarantee.AT_LEAST_ONCE)
            .withDescription("at-least-once: QoS 1/2 with a persistent session, each message acked only after the"
                    + " checkpoint that covers it completes (un-acked messages come back after a failure);"
                    + " at-most-once: acked on receipt, clean session.");

    public static final ConfigOption<Duration> KEEP_ALIVE = ConfigOptions.key("keep-alive")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("MQTT keep-alive interval (whole seconds).");

    public static final ConfigOption<Duration> SESSION_EXPIRY = ConfigOptions.key("session-expiry")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("At-least-once: how long the broker keeps a reader's session and its un-acked messages"
                    + " while the reader is away (MQTT 5; with 3.1.1 the broker's own setting decides).");

    public static final ConfigOption<List<String>> TOPICS = ConfigOptions.key("topics")
            .stringType().asList().noDefaultValue()
            .withDescription("Topic filters to subscribe to ('+' for one level, '#' last for the rest).");

    public static final ConfigOption<Boolean> SHARED_SUBSCRIPTION = ConfigOptions.key("shared-subscription.enabled")
            .booleanType().defaultValue(true)
            .withDescription("With parallelism above 1: true subscribes every reader to every filter as"
                    + " $share/<group>/<filter>, so that the broker gives each message to one reader; false deals the"
                    + " filters out over the readers (for brokers without shared subscriptions; filters must not"
                    + " overlap, readers left without one stay idle).");

    public static final ConfigOption<String> SHARED_GROUP = ConfigOptions.key("shared-subscription.group")
            .stringType().noDefaultValue()
            .withDescription("The shared-subscription group ($share/<group>/<filter>), without '/', '+' or '#';"
                    + " the client-id-prefix when unset.");

    public static final ConfigOption<Integer> QUEUE_CAPACITY = ConfigOptions.key("queue-capacity")
            .intType().defaultValue(10_000)
            .withDescription("At-most-once: messages held between a reader's MQTT client and Flink; when full the"
                    + " client stops reading its socket and the broker holds the rest.");

    public static final ConfigOption<Integer> MAX_UNACKED = ConfigOptions.key("max-unacked")
            .intType().defaultValue(50_000)
            .withDescription("At-least-once: the most un-acked messages a reader holds (1..65535, also capped by the"
                    + " server's Receive Maximum); at the limit it stops reading its socket until a checkpoint"
                    + " completes, so a reader takes at most this many messages per checkpoint interval.");

    public static final ConfigOption<Duration> HAND_OVER_LINGER = ConfigOptions.key("hand-over-linger")
            .durationType().defaultValue(Duration.ofMillis(2))
            .withDescription("How long a reader waits after a message, when few are queued, before handing a batch to"
                    + " Flink, and (MQTT 5) half of it after a small socket read: fewer thread wake-ups per message for"
                    + " up to this much latency; 0 to 100 ms, 0 hands every message over at once.");

    public static final ConfigOption<Duration> RECONNECT_INITIAL_DELAY = ConfigOptions.key("reconnect.initial-delay")
            .durationType().defaultValue(Duration.ofMillis(250))
            .withDescription("First delay before reconnecting; it doubles up to reconnect.max-delay, each with random"
                    + " jitter, cycling through the servers.");

    public static final ConfigOption<Duration> RECONNECT_MAX_DELAY = ConfigOptions.key("reconnect.max-delay")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("Longest delay between reconnect attempts.");

    public static final ConfigOption<Duration> WARN_DISCONNECTED_AFTER = ConfigOptions.key("warn-disconnected-after")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A reader disconnected this long logs a warning and reports itself stalled (metric"
                    + " mqtt.stalled).");

    public static final ConfigOption<Duration> WARN_IDLE_AFTER = ConfigOptions.key("warn-idle-after")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("A connected reader without a message this long logs a warning and reports itself"
                    + " stalled (metric mqtt.stalled).");

    public static final ConfigOption<String> TOPIC = ConfigOptions.key("topic")
            .stringType().noDefaultValue()
            .withDescription("Sink, SQL tables: the topic (a name, no wildcards) a row is published to when it has no"
                    + " topic of its own (no topic metadata column, or a null one). A DataStream sink's serialization"
                    + " schema names each record's topic instead.");

    public static final ConfigOption<Duration> SINK_RETRY_TIMEOUT = ConfigOptions.key("sink.retry-timeout")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Sink, at-least-once: a publish the broker does not acknowledge (an outage, a refused"
                    + " connection) is sent again with back-off while the writer waits, this long; then the job fails"
                    + " and restarts from its last checkpoint.");

    public static final ConfigOption<Integer> SINK_MAX_IN_FLIGHT = ConfigOptions.key("sink.max-in-flight")
            .intType().defaultValue(1_000)
            .withDescription("Sink, at-least-once: the most publishes a writer has sent and not yet seen"
                    + " acknowledged; at the limit it waits for the oldest (1..65535).");

    public static final ConfigOption<Integer> SINK_MAX_RECORDS_PER_SECOND = ConfigOptions.key("sink.max-records-per-second")
            .intType().noDefaultValue()
            .withDescription("Sink: the most publishes per second of one writer; more wait for the next second"
                    + " (back-pressure, nothing is dropped). Unlimited when unset.");

    /** Every option, in the order of the docs. */
    public static final List<ConfigOption<?>> ALL = List.of(SERVERS, PROTOCOL_VERSION, CLIENT_ID_PREFIX, USERNAME,
            PASSWORD, PASSWORD_FILE, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_HOSTNAME_VERIFICATION, QOS,
            DELIVERY_GUARANTEE, KEEP_ALIVE, SESSION_EXPIRY, TOPICS, SHARED_SUBSCRIPTION, SHARED_GROUP, QUEUE_CAPACITY,
            MAX_UNACKED, HAND_OVER_LINGER, RECONNECT_INITIAL_DELAY, RECONNECT_MAX_DELAY, WARN_DISCONNECTED_AFTER,
            WARN_IDLE_AFTER, TOPIC, SINK_RETRY_TIMEOUT, SINK_MAX_IN_FLIGHT, SINK_MAX_RECORDS_PER_SECOND);

    /** The options a sink reads (a sink builder takes these from a configuration, and no others). */
    public static final List<ConfigOption<?>> SINK = List.of(SERVERS, PROTOCOL_VERSION, CLIENT_ID_PREFIX, USERNAME,
            PASSWORD, PASSWORD_FILE, TLS_CA_FILE, TLS_CERT_FILE, TLS_KEY_FILE, TLS_HOSTNAME_VERIFICATION,
            DELIVERY_GUARANTEE, KEEP_ALIVE, RECONNECT_INITIAL_DELAY, RECONNECT_MAX_DELAY, TOPIC, SINK_RETRY_TIMEOUT,
            SINK_MAX_IN_FLIGHT, SINK_MAX_RECORDS_PER_SECOND);

    private MqttConnectorOptions() {}

    /** A source's options: {@link #validate} and at least one topic filter. */
    public static void validateSource(ReadableConfig config, MqttOptionNames names) {
        List<String> topics = config.get(TOPICS);
        check(topics != null && !topics.isEmpty(), TOPICS, "expected at least one topic filter", names);
        validate(config, names);
        sharedGroupName(config, names); // a source's readers subscribe as $share/<group>/...; a sink has no group
    }

    private static void sharedGroupName(ReadableConfig config, MqttOptionNames names) {
        String group = sharedGroup(config);
        check(group != null && !group.isBlank() && !group.matches(".*[/+#].*"), SHARED_GROUP,
                "expected a group name without '/', '+' or '#'" + (config.get(SHARED_GROUP) == null
                        ? " (it is the " + names.of(CLIENT_ID_PREFIX) + " when unset)" : ""), names);
    }

    /**
     * Every option's value, and the options against each other. Options without a default may be unset, except
     * servers and client-id-prefix; topic filters are checked when there are any (see {@link #validateSource}).
     *
     * @throws MqttOptionException naming the first option at fault
     */
    public static void validate(ReadableConfig config, MqttOptionNames names) {
        List<String> servers = config.get(SERVERS);
        check(servers != null && !servers.isEmpty(), SERVERS,
                "expected at least one server URI such as tcp://127.0.0.1:1883", names);
        for (int i = 0; i < servers.size(); i++) {
            check(isServerUri(servers.get(i)), SERVERS, i, "expected tcp://host:port or ssl://host:port, got '"
                    + servers.get(i) + "'", names);
        }
        String prefix = config.get(CLIENT_ID_PREFIX);
        check(prefix != null && !prefix.isBlank(), CLIENT_ID_PREFIX, "expected a non-empty client id prefix", names);
        int qos = config.get(QOS);
        check(qos >= 0 && qos <= 2, QOS, "expected 0, 1 or 2, got " + qos, names);
        boolean username = config.get(USERNAME) != null;
        boolean password = config.get(PASSWORD) != null;
        boolean passwordFile = config.get(PASSWORD_FILE) != null;
        check(!password || username, PASSWORD, "a password needs " + names.of(USERNAME) + " too", names);
        check(!passwordFile || username, PASSWORD_FILE, "a password file needs " + names.of(USERNAME) + " too", names);
        check(!password || !passwordFile, PASSWORD_FILE, "expected either " + names.of(PASSWORD) + " or "
                + names.of(PASSWORD_FILE) + ", not both", names);
        check(qos > 0 || config.get(DELIVERY_GUARANTEE) != MqttDeliveryGuarantee.AT_LEAST_ONCE, QOS,
                "expected 1 or 2 with " + names.of(DELIVERY_GUARANTEE) + " at-least-once (QoS 0 messages are never"
                        + " redelivered), got 0", names);
        Duration keepAlive = config.get(KEEP_ALIVE);
        // MQTT counts keep-alive in whole seconds (16 bits): under a second would be 0, which turns keep-alive off
        check(keepAlive.compareTo(Duration.ofSeconds(1)) >= 0 && keepAlive.getSeconds() <= 65_535, KEEP_ALIVE,
                "expected a duration from 1s to 65535s, got " + keepAlive, names);
        positive(config, SESSION_EXPIRY, names);
        check(config.get(QUEUE_CAPACITY) > 0, QUEUE_CAPACITY, "expected a whole number above 0", names);
        Duration linger = config.get(HAND_OVER_LINGER);
        check(!linger.isNegative() && linger.compareTo(MAX_HAND_OVER_LINGER) <= 0, HAND_OVER_LINGER,
                "expected a duration from 0s to " + MAX_HAND_OVER_LINGER.toMillis() + "ms, got " + linger, names);
        int maxUnacked = config.get(MAX_UNACKED);
        check(maxUnacked > 0 && maxUnacked <= MqttConnectionOptions.MAX_RECEIVE_MAXIMUM, MAX_UNACKED,
                "expected a whole number from 1 to 65535 (MQTT packet identifiers are 16 bits), got " + maxUnacked,
                names);
        if (config.getOptional(SHARED_GROUP).isPresent()) {
            sharedGroupName(config, names);
        }
        positive(config, RECONNECT_INITIAL_DELAY, names);
        positive(config, RECONNECT_MAX_DELAY, names);
        positive(config, WARN_DISCONNECTED_AFTER, names);
        positive(config, WARN_IDLE_AFTER, names);
        positive(config, SINK_RETRY_TIMEOUT, names);
        int maxInFlight = config.get(SINK_MAX_IN_FLIGHT);
        check(maxInFlight > 0 && maxInFlight <= MqttConnectionOptions.MAX_RECEIVE_MAXIMUM, SINK_MAX_IN_FLIGHT,
                "expected a whole number from 1 to 65535, got " + maxInFlight, names);
        Integer perSecond = config.get(SINK_MAX_RECORDS_PER_SECOND);
        check(perSecond == null || perSecond > 0, SINK_MAX_RECORDS_PER_SECOND,
                "expected a whole number above 0 (or unset: unlimited), got " + perSecond, names);
        boolean cert = config.get(TLS_CERT_FILE) != null;
        boolean key = config.get(TLS_KEY_FILE) != null;
        check(cert == key, cert ? TLS_KEY_FILE : TLS_CERT_FILE, "expected both " + names.of(TLS_CERT_FILE) + " and "
                + names.of(TLS_KEY_FILE) + " for a client certificate, or neither", names);
        String topic = config.get(TOPIC);
        if (topic != null) {
            try {
                TopicFilter.checkTopicName(topic);
            } catch (IllegalArgumentException e) {
                throw new MqttOptionException(TOPIC, -1, "expected an MQTT topic name (no '+' or '#'): "
                        + e.getMessage(), names);
            }
        }
        List<String> topics = config.get(TOPICS);
        for (int i = 0; topics != null && i < topics.size(); i++) {
            try {
                TopicFilter.of(topics.get(i));
            } catch (IllegalArgumentException e) {
                throw new MqttOptionException(TOPICS, i, "expected an MQTT topic filter ('+' for one level, '#' last"
                        + " for the rest): " + e.getMessage(), names);
            }
        }
    }

    /** The shared-subscription group: its own option, or else the client-id prefix. */
    public static String sharedGroup(ReadableConfig config) {
        return config.getOptional(SHARED_GROUP).orElse(config.get(CLIENT_ID_PREFIX));
    }

    private static boolean isServerUri(String value) {
        try {
            URI uri = URI.create(value);
            return SCHEMES.contains(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static void positive(ReadableConfig config, ConfigOption<Duration> option, MqttOptionNames names) {
        Duration d = config.get(option);
        check(d != null && !d.isNegative() && !d.isZero(), option, "expected a duration above zero such as 10s", names);
    }

    private static void check(boolean ok, ConfigOption<?> option, String reason, MqttOptionNames names) {
        check(ok, option, -1, reason, names);
    }

    private static void check(boolean ok, ConfigOption<?> option, int index, String reason, MqttOptionNames names) {
        if (!ok) {
            throw new MqttOptionException(option, index, reason, names);
        }
    }
}
