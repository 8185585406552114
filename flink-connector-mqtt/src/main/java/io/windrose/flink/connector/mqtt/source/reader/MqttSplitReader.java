package io.windrose.flink.connector.mqtt.source.reader;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the messages of this reader's MQTT clients to Flink's fetcher thread through a bounded queue, and watches
 * for stalls.
 *
 * <p>Back-pressure: the clients' callbacks run on their network thread, so when the queue is full the client stops
 * reading the socket and the broker holds the rest instead of memory growing. With at-least-once the queue holds one
 * full Receive Maximum, so it only fills if the broker breaks flow control; un-acked messages stay bounded by it.
 */
final class MqttSplitReader implements SplitReader<ReceivedMessage, MqttSubscriptionSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSplitReader.class);
    private static final int MAX_BATCH = 1000;
    private static final long ACK_WAIT_WARNING_MS = 30_000;

    private final MqttSourceOptions options;
    private final MqttReaderMetrics metrics;
    private final MessageHandOver queue;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean wakeUp = new AtomicBoolean();
    private final StallWatch stallWatch;
    private final CheckpointAcks acks;
    private volatile int unackedLimit;
    private MqttSubscriber subscriber;

    MqttSplitReader(MqttSourceOptions options, MqttReaderMetrics metrics, CheckpointAcks acks) {
        this.options = options;
        this.metrics = metrics;
        this.queue = new MessageHandOver(options.handOverCapacity(), options.handOverLinger());
        this.stallWatch = new StallWatch(options, metrics);
        this.acks = acks;
        this.unackedLimit = options.maxUnacked();
        metrics.group.gauge("queuedMessages", queue::size);
    }

    /**
     * Blocks until messages arrive (returning up to {@value #MAX_BATCH}, see {@link MessageHandOver} for the linger)
     * or {@link #wakeUp()} is called.
     */
    @Override
    public RecordsWithSplitIds<ReceivedMessage> fetch() throws IOException {
        List<ReceivedMessage> batch = List.of();
        try {
            while (batch.isEmpty() && !wakeUp.getAndSet(false) && !closed.get()) {
                batch = queue.take(MAX_BATCH, 100, TimeUnit.MILLISECONDS);
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (batch.isEmpty() || subscriber == null) {
            return new RecordsBySplits<>(Collections.emptyMap(), Collections.emptySet());
        }
        return new RecordsBySplits<>(Map.of(subscriber.split().splitId(), batch), Collections.emptySet());
    }

    private void check() throws IOException {
        if (subscriber != null) {
            if (subscriber.failure() != null) {
                throw new IOException(subscriber.failure());
            }
            stallWatch.check(subscriber, System.currentTimeMillis());
        }
    }

    @Override
    public void handleSplitsChanges(SplitsChange<MqttSubscriptionSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("MQTT splits are only ever added, got " + change);
        }
        // one split per reader (see MqttSubscriptionEnumerator); after a restore it may come twice: from state and enumerator
        for (MqttSubscriptionSplit split : change.splits()) {
            if (subscriber != null) {
                if (!subscriber.split().splitId().equals(split.splitId())) {
                    throw new IllegalStateException("an MQTT reader owns one split; got " + split + " besides "
                            + subscriber.split());
                }
                continue;
            }
            subscriber = new MqttSubscriber(options, split, metrics, this::handOver,
                    receiveMaximum -> unackedLimit = Math.min(options.maxUnacked(), receiveMaximum));
            subscriber.start();
        }
    }

    /**
     * Runs on the client's network thread. At-least-once: waits while the reader holds its limit of un-acked messages
     * (acks come when a checkpoint completes), so the socket is not read and the broker keeps the rest.
     */
    private void handOver(ReceivedMessage message) {
        try {
            if (message.ack() != null) {
                long waitingSince = 0;
                boolean warned = false;
                while (!closed.get() && acks.unacked() >= unackedLimit) {
                    long now = System.currentTimeMillis();
                    waitingSince = waitingSince == 0 ? now : waitingSince;
                    if (!warned && now - waitingSince > ACK_WAIT_WARNING_MS) {
                        warned = true;
                        LOG.warn("MQTT reader holds {} un-acked messages (its limit) and no checkpoint has acked any for {}"
                                + " s: is checkpointing on, and do checkpoints complete? The broker keeps the rest.",
                                acks.unacked(), (now - waitingSince) / 1000);
                    }
                    Thread.sleep(1);
                }
                acks.received();
            }
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
        if (subscriber != null) {
            subscriber.close();
        }
        LOG.debug("MQTT split reader closed");
    }
}
