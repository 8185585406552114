package io.windrose.flink.connector.mqtt.sink;

import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import io.windrose.flink.connector.mqtt.common.MqttClientFactory;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttSinkOptions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT client publishing a sink's records. At-least-once: publishes are sent at once and kept until acknowledged;
 * {@link #flush} (before every checkpoint, and at the end of input) waits for all of them, so a checkpoint completes
 * only when the broker has taken every record it covers. A publish that fails or is not acknowledged is sent again
 * with exponential back-off while the writer waits, up to the retry timeout; then the job fails and restarts from its
 * last checkpoint. At most {@code sink.max-in-flight} are outstanding (more wait for the oldest). At-most-once: sent
 * and not awaited. At most {@code sink.max-records-per-second} go out per second when set (more wait: back-pressure,
 * nothing dropped). The client fails over to the next server on each reconnect. No state.
 */
final class MqttSinkWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSinkWriter.class);

    private record InFlight(MqttOutgoingRecord record, CompletableFuture<?> ack) {}

    private final MqttSinkOptions options;
    private final MqttRecordSerializationSchema<T> serializer;
    private final String clientId;
    private final ExecutorService netty;
    private final MqttClientFactory clients;
    private final MqttPublisher publisher;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final Counter numRecordsSend;
    private final Counter sent;
    private final Counter failed;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile String lastError = "not connected yet";
    private volatile int serverIndex;
    private long windowStart;
    private int inWindow;

    MqttSinkWriter(MqttSinkOptions options, MqttRecordSerializationSchema<T> serializer, String clientId,
            SinkWriterMetricGroup metrics, String metricGroup) {
        this.options = options;
        this.serializer = serializer;
        this.clientId = clientId;
        this.numRecordsSend = metrics.getNumRecordsSendCounter();
        MetricGroup group = metrics.addGroup(metricGroup);
        this.sent = group.counter("sent", new ThreadSafeSimpleCounter());
        this.failed = group.counter("failed", new ThreadSafeSimpleCounter());
        this.netty = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "mqtt-" + clientId);
            thread.setDaemon(true);
            return thread;
        });
        this.clients = new MqttClientFactory(options.connection());
        this.publisher = MqttPublisher.create(clients.builder(clientId, netty)
                .addConnectedListener(context -> {
                    connected = true;
                    LOG.info("MQTT sink client {} connected to {}", clientId, currentServer());
                })
                .addDisconnectedListener(this::onDisconnected), options.connection());
        LOG.info("MQTT sink client {} connecting to {} ({}, {})", clientId, options.connection().server(0),
                options.connection().protocolVersion(), options.deliveryGuarantee());
        publisher.connect(clients.password()).whenComplete((ack, error) -> {
            if (error != null) {
                LOG.warn("MQTT sink client {} could not connect yet ({}); it keeps trying", clientId, error.toString());
            }
        });
    }

    /** The client's automatic reconnect has set the delay (back-off with jitter); this picks the next server. */
    private void onDisconnected(MqttClientDisconnectedContext context) {
        connected = false;
        lastError = String.valueOf(context.getCause().getMessage());
        if (closed) {
            context.getReconnector().reconnect(false);
            return;
        }
        URI next = options.connection().server(++serverIndex);
        context.getReconnector().transportConfig(clients.transport(next));
        LOG.warn("MQTT sink client {} disconnected or could not connect ({}); reconnecting to {} in {} ms (attempt {})",
                clientId, context.getCause().getMessage(), next, context.getReconnector().getDelay(TimeUnit.MILLISECONDS),
                context.getReconnector().getAttempts() + 1);
    }

    private String currentServer() {
        URI server = options.connection().server(serverIndex);
        return server.getHost() + ":" + MqttConnectionOptions.port(server);
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        MqttOutgoingRecord record = serializer.serialize(element);
        if (record == null) {
            return;
        }
        pace();
        CompletableFuture<?> ack = publish(record);
        numRecordsSend.inc();
        if (options.atLeastOnce()) {
            inFlight.add(new InFlight(record, ack));
            while (inFlight.size() > options.maxInFlight()) {
                await(inFlight.poll());
            }
        } else {
            ack.whenComplete((done, error) -> {
                if (error == null) {
                    sent.inc();
                } else {
                    failed.inc();
                    LOG.debug("MQTT sink client {}: publish to {} failed (at-most-once: not retried)", clientId,
                            record.topic(), error);
                }
            });
        }
    }

    /**
     * Hands the message to the client only while it is connected: FOUND (hivemq-mqtt-client 1.3.17): a publish while
     * the client reconnects without ever having been connected blocks the calling thread (in
     * MqttPublishFlowables.add) until a connection is made, past any retry timeout. Otherwise the attempt fails at
     * once (at-least-once retries it; at-most-once counts it as failed).
     */
    private CompletableFuture<?> publish(MqttOutgoingRecord record) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IOException("MQTT sink client " + clientId
                    + " is not connected (" + lastError + ")"));
        }
        return publisher.publish(record);
    }

    /** At-least-once: waits until every publish sent so far is acknowledged; at-most-once: nothing to wait for. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        while (!inFlight.isEmpty()) {
            await(inFlight.poll());
        }
    }

    boolean connected() {
        return connected;
    }

    /** Number of publishes awaiting acknowledgement (at-least-once). */
    int inFlight() {
        return inFlight.size();
    }

    /** At most max-records-per-second publishes a second: the writer waits for the next second. */
    private void pace() throws InterruptedException {
        if (options.maxRecordsPerSecond() <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - windowStart >= 1_000) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow > options.maxRecordsPerSecond()) {
            Thread.sleep(Math.max(1, windowStart + 1_000 - now));
            windowStart = System.currentTimeMillis();
            inWindow = 1;
        }
    }

    /** Waits for one publish; sends it again with back-off until it is acknowledged or the retry timeout passes. */
    private void await(InFlight publish) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + options.retryTimeout().toNanos();
        CompletableFuture<?> ack = publish.ack();
        for (int attempt = 1; ; attempt++) {
            try {
                ack.get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                sent.inc();
                if (attempt > 1) {
                    LOG.info("MQTT sink client {}: publish to {} acknowledged after {} attempts", clientId,
                            publish.record().topic(), attempt);
                }
                return;
            } catch (ExecutionException | TimeoutException e) {
                failed.inc();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (System.nanoTime() >= deadline) {
                    throw new IOException("MQTT publish to " + publish.record().topic() + " not acknowledged within "
                            + options.retryTimeout().toSeconds() + " s ("
                            + options.name(MqttConnectorOptions.SINK_RETRY_TIMEOUT) + "): " + cause, cause);
                }
                long delay = Math.min(5_000, 100L << Math.min(attempt - 1, 10));
                delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("MQTT sink client {}: publish to {} failed ({}); retrying in {} ms (attempt {}), the job"
                            + " waits meanwhile", clientId, publish.record().topic(), cause.toString(), delay, attempt);
                }
                Thread.sleep(delay);
                ack = publish(publish.record());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            publisher.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT sink client {} did not disconnect cleanly", clientId, e);
        }
        netty.shutdownNow();
    }
}
