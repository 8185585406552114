package io.windrose.flink.connector.mqtt.common;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.KEEP_ALIVE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PASSWORD_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.PROTOCOL_VERSION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_INITIAL_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.RECONNECT_MAX_DELAY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SERVERS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CA_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_CERT_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_HOSTNAME_VERIFICATION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TLS_KEY_FILE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.USERNAME;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * How a client connects: servers (tried in turn), protocol version, credentials, TLS, keep-alive and reconnect
 * back-off, read from validated {@link MqttConnectorOptions}. What {@link MqttClientFactory} needs; the password is
 * never printed.
 */
public record MqttConnectionOptions(
        List<String> servers,
        MqttProtocolVersion protocolVersion,
        String username,
        String password,
        String passwordFile,
        MqttTlsOptions tls,
        Duration keepAlive,
        Duration reconnectInitialDelay,
        Duration reconnectMaxDelay,
        MqttOptionNames names) implements Serializable {

    /** The most un-acked QoS 1/2 messages MQTT allows per connection (packet identifiers are 16 bits). */
    public static final int MAX_RECEIVE_MAXIMUM = 65_535;

    public MqttConnectionOptions {
        servers = List.copyOf(servers);
    }

    /** The connection options of {@code config} (validated by {@link MqttConnectorOptions#validate}). */
    public static MqttConnectionOptions from(ReadableConfig config, MqttOptionNames names) {
        return new MqttConnectionOptions(config.get(SERVERS), config.get(PROTOCOL_VERSION), config.get(USERNAME),
                config.get(PASSWORD), config.get(PASSWORD_FILE), new MqttTlsOptions(config.get(TLS_CA_FILE),
                        config.get(TLS_CERT_FILE), config.get(TLS_KEY_FILE), config.get(TLS_HOSTNAME_VERIFICATION)),
                config.get(KEEP_ALIVE), config.get(RECONNECT_INITIAL_DELAY), config.get(RECONNECT_MAX_DELAY), names);
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

    /** What the user calls {@code option} (see {@link MqttOptionNames}). */
    public String name(ConfigOption<?> option) {
        return names.of(option);
    }

    @Override
    public String toString() {
        return "servers=" + servers + ", version=" + protocolVersion + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", passwordFile=" + passwordFile + ", tls=" + tls;
    }
}
