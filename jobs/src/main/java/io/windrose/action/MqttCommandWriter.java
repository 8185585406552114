package io.windrose.action;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.windrose.action.state.MqttCommand;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttTls;
import io.windrose.mqtt.MqttSourceConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT client publishing commands. Publishes are sent at once and awaited at each checkpoint ({@link #flush});
 * at most {@code max-per-second} go out per second (more wait: back-pressure, nothing dropped). A publish the broker
 * does not acknowledge — an outage, a refused connection — is retried with exponential back-off while the job waits,
 * up to {@code retry-timeout}; then the job fails and restarts from its last checkpoint (the commands since then are
 * made again). Metrics {@code commands.sent}, {@code commands.failed} (failed attempts).
 */
final class MqttCommandWriter implements SinkWriter<MqttCommand> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttCommandWriter.class);
    private static final int MAX_IN_FLIGHT = 1_000;

    private record InFlight(MqttCommand command, CompletableFuture<?> ack) {}

    private final ActionsConfig.Mqtt settings;
    private final String clientId;
    private final Mqtt5AsyncClient mqtt5;
    private final Mqtt3AsyncClient mqtt3;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final Counter sent;
    private final Counter failed;
    private long windowStart;
    private int inWindow;

    MqttCommandWriter(MqttSourceConfig connection, ActionsConfig.Mqtt settings, String clientId, MetricGroup metrics) {
        this.settings = settings;
        this.clientId = clientId;
        URI server = URI.create(connection.servers.get(0));
        boolean tls = "ssl".equals(server.getScheme()) || "mqtts".equals(server.getScheme());
        MqttClientBuilder builder = MqttClient.builder()
                .identifier(clientId)
                .serverHost(server.getHost())
                .serverPort(server.getPort() > 0 ? server.getPort() : tls ? 8883 : 1883)
                .automaticReconnect().initialDelay(connection.reconnectInitialDelay.toMillis(), TimeUnit.MILLISECONDS)
                .maxDelay(connection.reconnectMaxDelay.toMillis(), TimeUnit.MILLISECONDS).applyAutomaticReconnect();
        if (tls) {
            builder = builder.sslConfig(MqttTls.sslConfig(connection.tls.toOptions()));
        }
        byte[] password = password(connection);
        if (connection.protocolVersion == MqttProtocolVersion.V5) {
            this.mqtt5 = builder.useMqttVersion5().buildAsync();
            this.mqtt3 = null;
            var connect = mqtt5.connectWith().cleanStart(true);
            if (connection.username != null) {
                connect = connect.simpleAuth().username(connection.username).password(password).applySimpleAuth();
            }
            connect.send().whenComplete((ack, error) -> log(error));
        } else {
            this.mqtt5 = null;
            this.mqtt3 = builder.useMqttVersion3().buildAsync();
            var connect = mqtt3.connectWith().cleanSession(true);
            if (connection.username != null) {
                connect = connect.simpleAuth().username(connection.username).password(password).applySimpleAuth();
            }
            connect.send().whenComplete((ack, error) -> log(error));
        }
        MetricGroup group = metrics.addGroup("commands");
        this.sent = group.counter("sent");
        this.failed = group.counter("failed");
    }

    private void log(Throwable error) {
        if (error == null) {
            LOG.info("MQTT command client {} connected", clientId);
        } else {
            LOG.warn("MQTT command client {} could not connect yet ({}); it keeps trying", clientId, error.toString());
        }
    }

    private static byte[] password(MqttSourceConfig connection) {
        try {
            if (connection.passwordFile != null) {
                return Files.readString(Path.of(connection.passwordFile), StandardCharsets.UTF_8).strip()
                        .getBytes(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the MQTT password file (mqtt.password-file): " + e.getMessage(), e);
        }
        return connection.password == null ? new byte[0] : connection.password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(MqttCommand command, Context context) throws IOException, InterruptedException {
        pace();
        inFlight.add(new InFlight(command, publish(command)));
        while (inFlight.size() > MAX_IN_FLIGHT) {
            await(inFlight.poll());
        }
    }

    /** Waits for every publish: at a checkpoint nothing is left unacknowledged. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        while (!inFlight.isEmpty()) {
            await(inFlight.poll());
        }
    }

    /** At most max-per-second publishes a second: the writer waits for the next second. */
    private void pace() throws InterruptedException {
        long now = System.currentTimeMillis();
        if (now - windowStart >= 1_000) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow > settings.maxPerSecond) {
            Thread.sleep(Math.max(1, windowStart + 1_000 - now));
            windowStart = System.currentTimeMillis();
            inWindow = 1;
        }
    }

    private CompletableFuture<?> publish(MqttCommand command) {
        byte[] payload = command.getPayload().getBytes(StandardCharsets.UTF_8);
        MqttQos qos = MqttQos.fromCode(command.getQos());
        if (mqtt5 != null) {
            return mqtt5.publishWith().topic(command.getTopic()).qos(qos).retain(command.getRetain())
                    .messageExpiryInterval(command.getExpirySeconds()).payload(payload).send();
        }
        return mqtt3.publishWith().topic(command.getTopic()).qos(qos).retain(command.getRetain()).payload(payload).send();
    }

    /** Waits for one publish; retries it with back-off until it is acknowledged or the retry timeout passes. */
    private void await(InFlight publish) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settings.retryTimeout.toNanos();
        CompletableFuture<?> ack = publish.ack();
        for (int attempt = 1; ; attempt++) {
            try {
                ack.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                sent.inc();
                if (attempt > 1) {
                    LOG.info("MQTT command to {} sent after {} attempts", publish.command().getTopic(), attempt);
                }
                return;
            } catch (ExecutionException | TimeoutException e) {
                failed.inc();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (System.nanoTime() >= deadline) {
                    throw new IOException("MQTT command " + publish.command().getPayload() + " to "
                            + publish.command().getTopic() + " not acknowledged within "
                            + settings.retryTimeout.toSeconds() + " s (actions.mqtt.retry-timeout): " + cause, cause);
                }
                long delay = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
                delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("MQTT command to {} failed ({}); retrying in {} ms (attempt {}), the job waits meanwhile",
                            publish.command().getTopic(), cause.toString(), delay, attempt);
                }
                Thread.sleep(delay);
                ack = publish(publish.command());
            }
        }
    }

    @Override
    public void close() {
        try {
            if (mqtt5 != null) {
                mqtt5.disconnect().get(5, TimeUnit.SECONDS);
            } else {
                mqtt3.disconnect().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.debug("MQTT command client {} did not disconnect cleanly", clientId, e);
        }
    }
}
