package io.windrose.flink.connector.mqtt.common;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Makes the HiveMQ clients of one task: the first server, TLS from PEM files (read once, here), one Netty thread on
 * the caller's executor, and the client's automatic reconnect (exponential back-off from the initial delay to the
 * max, with random jitter); the caller cycles through the servers on each reconnect with {@link #transport}.
 */
public final class MqttClientFactory {
    private final MqttConnectionOptions options;
    private final MqttClientSslConfig sslConfig;

    public MqttClientFactory(MqttConnectionOptions options) {
        this.options = options;
        this.sslConfig = options.servers().stream().map(URI::create).anyMatch(MqttConnectionOptions::isTls)
                ? MqttTls.sslConfig(options.tls()) : null;
    }

    public MqttConnectionOptions options() {
        return options;
    }

    /** A client builder for {@code clientId} (add listeners, then choose the protocol version and build). */
    public MqttClientBuilder builder(String clientId, Executor nettyExecutor) {
        return MqttClient.builder()
                .identifier(clientId)
                .transportConfig(transport(options.server(0)))
                .executorConfig().nettyExecutor(nettyExecutor).nettyThreads(1).applyExecutorConfig()
                .automaticReconnect()
                .initialDelay(options.reconnectInitialDelay().toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(options.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect();
    }

    /** Host, port and (for ssl:// and mqtts://) TLS of {@code server}. */
    public MqttClientTransportConfig transport(URI server) {
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(server.getHost())
                .serverPort(MqttConnectionOptions.port(server));
        if (MqttConnectionOptions.isTls(server)) {
            transport = transport.sslConfig(sslConfig);
        }
        return transport.build();
    }

    /** The password: from the password file (read now: a mounted secret may change), the password, or none. */
    public byte[] password() {
        if (options.passwordFile() != null) {
            try {
                return Files.readString(Path.of(options.passwordFile()), StandardCharsets.UTF_8).strip()
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the MQTT password file " + options.passwordFile()
                        + " (" + options.name(MqttConnectorOptions.PASSWORD_FILE) + "): " + e.getMessage(), e);
            }
        }
        return options.password() == null ? new byte[0] : options.password().getBytes(StandardCharsets.UTF_8);
    }
}
