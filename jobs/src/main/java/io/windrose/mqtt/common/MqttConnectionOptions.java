package io.windrose.mqtt.common;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * How readers connect, what they subscribe to and what they promise. Built by {@code MqttSourceBuilder}; read through
 * the record accessors. The password is never printed.
 */
public record MqttConnectionOptions(
        List<String> servers,
        MqttProtocolVersion protocolVersion,
        String clientIdPrefix,
        String username,
        String password,
        String passwordFile,
        MqttTlsOptions tls,
        int qos,
        MqttDeliveryMode deliveryMode,
        Duration keepAlive,
        Duration sessionExpiry,
        List<String> topicFilters,
        boolean sharedSubscription,
        String sharedGroup,
        int queueCapacity,
        int maxUnacked,
        Duration handOverLinger,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        Duration disconnectedWarning,
        Duration idleWarning,
        Duration checkpointInterval) implements Serializable {

    /** The most un-acked QoS 1/2 messages MQTT allows per connection (packet identifiers are 16 bits). */
    public static final int MAX_RECEIVE_MAXIMUM = 65_535;

    public MqttConnectionOptions {
        servers = List.copyOf(servers);
        topicFilters = List.copyOf(topicFilters);
    }

    /** Server URI n (cycled): host and port, with ssl:// marking TLS. */
    public URI server(int attempt) {
        return URI.create(servers.get(Math.floorMod(attempt, servers.size())));
    }

    /** The port of {@code server}, or the MQTT default for its scheme. */
    public static int port(URI server) {
        return server.getPort() > 0 ? server.getPort() : isTls(server) ? 8883 : 1883;
    }

    public static boolean isTls(URI server) {
        return "ssl".equals(server.getScheme()) || "mqtts".equals(server.getScheme());
    }

    /** Messages held between the client and Flink: with at-least-once every un-acked message may be queued. */
    public int handOverCapacity() {
        return deliveryMode == MqttDeliveryMode.AT_LEAST_ONCE ? maxUnacked : queueCapacity;
    }

    @Override
    public String toString() {
        return "MqttConnectionOptions{servers=" + servers + ", version=" + protocolVersion + ", clientIdPrefix="
                + clientIdPrefix + ", username=" + username + ", password=" + (password == null ? "none" : "***")
                + ", passwordFile=" + passwordFile + ", tls=" + tls + ", qos=" + qos + ", delivery=" + deliveryMode
                + ", topicFilters=" + topicFilters + ", shared=" + sharedSubscription + "}";
    }
}
