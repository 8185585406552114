package io.windrose.flink.connector.mqtt.source.reader;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import io.netty.channel.Channel;
import io.windrose.flink.connector.mqtt.common.MqttClientFactory;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One split's MQTT client: connects (retrying with back-off and jitter, cycling through the servers), subscribes,
 * passes every message to the hand-over, and records why it stopped when the broker refuses it for good.
 */
final class MqttSubscriber {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriber.class);

    private final MqttSourceOptions options;
    private final MqttSubscriptionSplit split;
    private final MqttReaderMetrics metrics;
    private final ExecutorService netty;
    private final MqttConnection connection;
    private final MqttClientFactory clients;
    private final IntConsumer serverReceiveMaximum;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile String failure;
    private volatile String lastError = "none";
    private volatile long disconnectedSince = System.currentTimeMillis();
    private volatile int lastLoggedLimit = -1;
    private int serverIndex;
    private boolean toldAboutChannel;

    MqttSubscriber(MqttSourceOptions options, MqttSubscriptionSplit split, MqttReaderMetrics metrics,
            Consumer<ReceivedMessage> handOver, IntConsumer serverReceiveMaximum) {
        this.options = options;
        this.split = split;
        this.metrics = metrics;
        this.serverReceiveMaximum = serverReceiveMaximum;
        this.netty = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "mqtt-" + split.clientId());
            thread.setDaemon(true);
            return thread;
        });
        this.clients = new MqttClientFactory(options.connection());
        // the client's automatic reconnect: exponential back-off from the initial delay to the max, with random jitter
        MqttClientBuilder builder = clients.builder(split.clientId(), netty)
                .addConnectedListener(this::onConnected)
                .addDisconnectedListener(this::onDisconnected);
        this.connection = MqttConnection.create(builder, options, message -> {
            metrics.messageReceived(message.record().receivedAt());
            handOver.accept(message);
        });
    }

    void start() {
        LOG.info("MQTT client {} connecting to {} ({}, {}, QoS {}) for {}", split.clientId(),
                options.connection().server(0), options.connection().protocolVersion(), options.deliveryGuarantee(),
                options.qos(), split.subscriptions());
        connection.connect(clients.password()).whenComplete((sessionPresent, error) -> {
            if (error == null && options.atLeastOnce()) {
                LOG.info("MQTT client {}: {}", split.clientId(), sessionPresent
                        ? "session resumed: un-acked messages of the previous run come back"
                        : "new session (expires " + options.sessionExpiry().toSeconds() + " s after a disconnect)");
            }
        });
    }

    private void onConnected(MqttClientConnectedContext context) {
        metrics.connected(true);
        LOG.info("MQTT client {} connected to {}", split.clientId(), currentServer());
        OptionalInt receiveMaximum = connection.serverReceiveMaximum(context);
        receiveMaximum.ifPresent(serverReceiveMaximum::accept);
        warnAboutReceiveMaximum(receiveMaximum);
        tuneChannel(context);
        if (!subscribed) {
            // later reconnects resubscribe by themselves when the broker lost the session (resubscribeIfSessionExpired)
            List<String> stale = connection.sessionPresent(context) ? staleSubscriptions() : List.of();
            CompletableFuture<Void> cleared = stale.isEmpty() ? CompletableFuture.completedFuture(null)
                    : connection.unsubscribe(stale).whenComplete((done, error) -> LOG.info(
                            "MQTT client {} resumed a session: removed any of {} it held for another pipeline or"
                                    + " parallelism{}", split.clientId(), stale,
                            error == null ? "" : " (failed: " + error.getMessage() + ")"));
            cleared.exceptionally(error -> null).thenCompose(done -> connection.subscribe(split.subscriptions(),
                    options.qos())).whenComplete((refused, error) -> {
                if (error != null) {
                    LOG.error("MQTT client {} could not subscribe to {}: {} (retried on the next connection)",
                            split.clientId(), split.subscriptions(), error.getMessage());
                } else if (!refused.isEmpty()) {
                    LOG.error("MQTT broker refused subscriptions of client {}: {}", split.clientId(), refused);
                } else {
                    subscribed = true;
                    LOG.info("MQTT client {} subscribed to {} with QoS {}", split.clientId(), split.subscriptions(),
                            options.qos());
                }
            });
        }
    }

    /** Acks in few writes and paced socket reads, where the client exposes its channel (MQTT 5). */
    private void tuneChannel(MqttClientConnectedContext context) {
        Channel channel = ClientChannel.of(context);
        if (channel == null) {
            if (!toldAboutChannel) {
                toldAboutChannel = true;
                LOG.info("MQTT client {}: acks are flushed one by one and reads are not paced ({}; MQTT 5 does both)",
                        split.clientId(), options.connection().protocolVersion());
            }
            return;
        }
        if (options.atLeastOnce()) {
            AckFlushConsolidation.install(channel);
        }
        if (!options.handOverLinger().isZero()) {
            ReadPacing.install(channel, options.handOverLinger().dividedBy(2));
        }
    }

    /**
     * What a resumed session may still hold from a run with another parallelism or shared-subscription setting: each
     * configured filter plain and shared, less what this reader subscribes to now. A plain subscription left from a
     * single-reader run would otherwise deliver every message to this reader beside the shared one.
     */
    private List<String> staleSubscriptions() {
        List<String> stale = new ArrayList<>();
        for (String filter : options.topicFilters()) {
            for (String form : List.of(filter, "$share/" + options.sharedGroup() + "/" + filter)) {
                if (!filter.startsWith("$share/") && !split.subscriptions().contains(form) && !stale.contains(form)) {
                    stale.add(form);
                }
            }
        }
        return stale;
    }

    private void warnAboutReceiveMaximum(OptionalInt serverReceiveMaximum) {
        if (!options.atLeastOnce() || options.checkpointInterval() == null) {
            return;
        }
        double seconds = options.checkpointInterval().toMillis() / 1000.0;
        int limit = Math.min(options.maxUnacked(), serverReceiveMaximum.orElse(MqttConnectionOptions.MAX_RECEIVE_MAXIMUM));
        if (limit == lastLoggedLimit) {
            return;
        }
        lastLoggedLimit = limit;
        long ceiling = Math.round(limit / seconds);
        String maxUnacked = options.name(MqttConnectorOptions.MAX_UNACKED);
        if (serverReceiveMaximum.isEmpty()) {
            LOG.info("MQTT 3.1.1 announces no Receive Maximum: client {} holds up to {} un-acked messages ({});"
                    + " with checkpoints every {} s that is at most ~{} messages/s per reader. The broker's own in-flight"
                    + " limit may be lower (Mosquitto: max_inflight_messages, default 20: set 0, and max_queued_messages"
                    + " 100000 or more)", split.clientId(), limit, maxUnacked, seconds, ceiling);
        } else if (serverReceiveMaximum.getAsInt() < options.maxUnacked()) {
            LOG.warn("MQTT broker allows client {} only {} un-acked messages (server Receive Maximum). At-least-once acks"
                    + " wait for checkpoints (every {} s), so this reader can take at most ~{} messages/s. Raise the"
                    + " broker's limit (Mosquitto: max_inflight_messages 0 and max_queued_messages 100000 or more) or"
                    + " shorten {}.", split.clientId(), limit, seconds, ceiling,
                    options.connection().names().of(MqttSourceOptions.CHECKPOINT_INTERVAL_KEY));
        } else {
            LOG.info("MQTT client {} holds up to {} un-acked messages ({}; server Receive Maximum {});"
                    + " with checkpoints every {} s that is at most ~{} messages/s per reader", split.clientId(), limit,
                    maxUnacked, serverReceiveMaximum.getAsInt(), seconds, ceiling);
        }
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = metrics.isConnected();
        metrics.connected(false);
        if (wasConnected) {
            disconnectedSince = System.currentTimeMillis();
            if (options.atLeastOnce()) {
                // the broker sends every un-acked message again on the next connection of this session
                metrics.redeliveries.inc(metrics.unacked());
            }
        }
        if (closed) {
            context.getReconnector().reconnect(false);
            return;
        }
        Throwable cause = context.getCause();
        lastError = String.valueOf(cause.getMessage());
        var refusal = connection.refusal(cause);
        if (refusal.isPresent()) {
            context.getReconnector().reconnect(false);
            failure = "MQTT broker " + currentServer() + " refused client " + split.clientId() + ": "
                    + refusal.get() + " (check " + options.name(MqttConnectorOptions.USERNAME) + ", "
                    + options.name(MqttConnectorOptions.PASSWORD) + " / " + options.name(MqttConnectorOptions.PASSWORD_FILE)
                    + " and the broker's ACL)";
            LOG.error(failure);
            return;
        }
        metrics.reconnects.inc();
        // the client's automatic reconnect has set the delay: exponential back-off with random jitter, capped
        URI next = options.connection().server(++serverIndex);
        context.getReconnector().resubscribeIfSessionExpired(true).transportConfig(clients.transport(next));
        LOG.warn("MQTT client {} {} ({}); reconnecting to {} in {} ms (attempt {})", split.clientId(),
                wasConnected ? "disconnected" : "could not connect", lastError, next,
                context.getReconnector().getDelay(TimeUnit.MILLISECONDS), context.getReconnector().getAttempts() + 1);
    }

    /**
     * The server of the current (or last) connection attempt as host:port. FOUND (hivemq-mqtt-client 1.3.17): the
     * client config in the listeners' context keeps naming the first server after a reconnect went to another one.
     */
    private String currentServer() {
        URI server = options.connection().server(serverIndex);
        return server.getHost() + ":" + MqttConnectionOptions.port(server);
    }

    /** Why the broker refused this client for good, or null. */
    String failure() {
        return failure;
    }

    long disconnectedSince() {
        return disconnectedSince;
    }

    String lastError() {
        return lastError;
    }

    MqttSubscriptionSplit split() {
        return split;
    }

    void close() {
        closed = true;
        try {
            connection.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("MQTT disconnect of {} did not complete cleanly", split.clientId(), e);
        }
        netty.shutdownNow();
    }
}
