package io.windrose.mqtt.reader;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.windrose.mqtt.MqttConnectionOptions;
import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the MQTT client of one reader subtask and hands its messages to Flink's fetcher thread through a bounded
 * queue. When the queue is full the client's own network thread waits, so the client stops reading the socket and
 * the broker holds the rest (back-pressure instead of memory growth).
 */
final class MqttSplitReader implements SplitReader<MqttMessage, MqttSubscriptionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSplitReader.class);
    private static final int MAX_BATCH = 1000;

    private final MqttConnectionOptions options;
    private final BlockingQueue<MqttMessage> queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean wakeUp = new AtomicBoolean();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicInteger serverAttempt = new AtomicInteger();
    private final Counter reconnects;
    private final Map<String, Mqtt5AsyncClient> clients = new HashMap<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private String splitId;

    MqttSplitReader(MqttConnectionOptions options, MetricGroup metrics) {
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.reconnects = metrics.counter("reconnects");
        metrics.gauge("connected", () -> connected.get() ? 1 : 0);
        metrics.gauge("queuedMessages", queue::size);
    }

    /** Blocks until messages arrive (returning up to {@value #MAX_BATCH}) or {@link #wakeUp()} is called. */
    @Override
    public RecordsWithSplitIds<MqttMessage> fetch() {
        MqttMessage first = null;
        try {
            while (first == null && !wakeUp.getAndSet(false) && !closed.get()) {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (first == null || splitId == null) {
            return new RecordsBySplits<>(Collections.emptyMap(), Collections.emptySet());
        }
        List<MqttMessage> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        return new RecordsBySplits<>(Map.of(splitId, batch), Collections.emptySet());
    }

    @Override
    public void handleSplitsChanges(SplitsChange<MqttSubscriptionSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("MQTT splits are only ever added, got " + change);
        }
        for (MqttSubscriptionSplit split : change.splits()) {
            if (clients.containsKey(split.splitId())) {
                continue;
            }
            splitId = split.splitId();
            clients.put(split.splitId(), connect(split));
        }
    }

    private Mqtt5AsyncClient connect(MqttSubscriptionSplit split) {
        ExecutorService netty = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "mqtt-" + split.clientId());
            thread.setDaemon(true);
            return thread;
        });
        executors.add(netty);
        URI server = options.server(0);
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(split.clientId())
                .serverHost(server.getHost())
                .serverPort(server.getPort() > 0 ? server.getPort() : "ssl".equals(server.getScheme()) ? 8883 : 1883)
                .executorConfig().nettyExecutor(netty).nettyThreads(1).applyExecutorConfig()
                .automaticReconnect().initialDelay(250, TimeUnit.MILLISECONDS).maxDelay(30, TimeUnit.SECONDS)
                .applyAutomaticReconnect()
                .addConnectedListener(context -> onConnected(context, split))
                .addDisconnectedListener(this::onDisconnected);
        if ("ssl".equals(server.getScheme())) {
            builder = builder.sslWithDefaultConfig();
        }
        Mqtt5AsyncClient client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish, Runnable::run);
        var connect = client.connectWith().cleanStart(true).keepAlive((int) options.keepAlive().toSeconds());
        if (options.username() != null) {
            connect.simpleAuth()
                    .username(options.username())
                    .password(options.password() == null ? new byte[0] : options.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        LOG.info("Connecting MQTT client {} to {} for {}", split.clientId(), server, split.subscriptions());
        connect.send().whenComplete((ack, error) -> {
            if (error != null) {
                LOG.warn("MQTT client {} could not connect to {}: {} (retrying with back-off)", split.clientId(), server,
                        error.getMessage());
            }
        });
        return client;
    }

    private void onConnected(MqttClientConnectedContext context, MqttSubscriptionSplit split) {
        connected.set(true);
        Mqtt5AsyncClient client = clients.get(split.splitId());
        LOG.info("MQTT client {} connected to {}:{}", split.clientId(), context.getClientConfig().getServerHost(),
                context.getClientConfig().getServerPort());
        if (client == null) {
            return;
        }
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String filter : split.subscriptions()) {
            subscriptions.add(Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.fromCode(options.qos())).build());
        }
        client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build()).whenComplete((subAck, error) -> {
            if (error != null) {
                LOG.error("MQTT client {} could not subscribe to {}: {}", split.clientId(), split.subscriptions(),
                        error.getMessage());
                return;
            }
            List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
            for (int i = 0; i < codes.size(); i++) {
                if (codes.get(i).isError()) {
                    LOG.error("MQTT broker refused subscription {} for client {}: {}", split.subscriptions().get(i),
                            split.clientId(), codes.get(i));
                } else {
                    LOG.info("MQTT client {} subscribed to {} ({})", split.clientId(), split.subscriptions().get(i),
                            codes.get(i));
                }
            }
        });
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean wasConnected = connected.getAndSet(false);
        if (closed.get()) {
            return;
        }
        reconnects.inc();
        // re-subscription is done in onConnected, for every (re)connection
        context.getReconnector().resubscribeIfSessionExpired(false);
        URI next = options.server(serverAttempt.incrementAndGet());
        context.getReconnector().transportConfig()
                .serverHost(next.getHost())
                .serverPort(next.getPort() > 0 ? next.getPort() : 1883)
                .applyTransportConfig();
        LOG.warn("MQTT client {} {} ({}); reconnecting to {} in {} ms",
                context.getClientConfig().getClientIdentifier().map(Object::toString).orElse("?"),
                wasConnected ? "disconnected" : "failed to connect", context.getCause().getMessage(), next,
                context.getReconnector().getDelay(TimeUnit.MILLISECONDS));
    }

    private void onPublish(Mqtt5Publish publish) {
        MqttMessage message = new MqttMessage(publish.getTopic().toString(), publish.getPayloadAsBytes(),
                publish.getQos().getCode(), System.currentTimeMillis());
        try {
            while (!closed.get()) {
                if (queue.offer(message, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void wakeUp() {
        wakeUp.set(true); // fetch() sees it within 100 ms
    }

    @Override
    public void close() {
        closed.set(true);
        queue.clear();
        for (Mqtt5AsyncClient client : clients.values()) {
            try {
                client.disconnect().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("MQTT disconnect did not complete cleanly", e);
            }
        }
        executors.forEach(ExecutorService::shutdownNow);
    }
}
