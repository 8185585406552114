package io.windrose.flink.connector.mqtt.source.reader;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's metrics, in the group {@code mqtt} of the source reader: connected, stalled, reconnects,
 * queuedMessages (registered by the split reader, which owns the queue), unackedMessages, messagesAcked,
 * redeliveries, lastMessageAgeMs; payload bytes also count in Flink's numBytesIn.
 */
final class MqttReaderMetrics {
    final MetricGroup group;
    final Counter reconnects;
    final Counter messagesAcked;
    final Counter redeliveries;
    final Counter bytesIn;
    private final CheckpointAcks acks;
    private volatile long lastMessageAt = System.currentTimeMillis();
    private volatile boolean connected;
    private volatile boolean stalled;

    MqttReaderMetrics(SourceReaderMetricGroup readerGroup, CheckpointAcks acks) {
        this.acks = acks;
        this.bytesIn = readerGroup.getIOMetricGroup().getNumBytesInCounter();
        group = readerGroup.addGroup("mqtt");
        reconnects = group.counter("reconnects");
        messagesAcked = group.counter("messagesAcked");
        redeliveries = group.counter("redeliveries");
        group.gauge("connected", () -> connected ? 1 : 0);
        group.gauge("stalled", () -> stalled ? 1 : 0);
        group.gauge("unackedMessages", acks::unacked);
        group.gauge("lastMessageAgeMs", () -> System.currentTimeMillis() - lastMessageAt);
    }

    /** Messages received and not acked yet (at-least-once: queued, or emitted and waiting for a checkpoint). */
    int unacked() {
        return acks.unacked();
    }

    void messageReceived(long now) {
        lastMessageAt = now;
    }

    long lastMessageAt() {
        return lastMessageAt;
    }

    void connected(boolean connected) {
        this.connected = connected;
    }

    boolean isConnected() {
        return connected;
    }

    void stalled(boolean stalled) {
        this.stalled = stalled;
    }
}
