package io.windrose.mqtt.reader;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

/**
 * The reader's metrics, in the group {@code mqtt} of the source reader: connected, reconnects, queuedMessages,
 * unackedMessages, messagesAcked, redeliveries, lastMessageAgeMs, stalled; bytes also count in Flink's numBytesIn.
 */
final class MqttReaderMetrics {
    final Counter reconnects;
    final Counter messagesAcked;
    final Counter redeliveries;
    final Counter bytesIn;
    private final AtomicLong lastMessageAt = new AtomicLong(System.currentTimeMillis());
    private volatile boolean connected;
    private volatile boolean stalled;
    private volatile IntSupplier queued = () -> 0;
    private volatile IntSupplier unacked = () -> 0;

    MqttReaderMetrics(SourceReaderMetricGroup readerGroup) {
        this.bytesIn = readerGroup.getIOMetricGroup().getNumBytesInCounter();
        MetricGroup group = readerGroup.addGroup("mqtt");
        reconnects = group.counter("reconnects");
        messagesAcked = group.counter("messagesAcked");
        redeliveries = group.counter("redeliveries");
        group.gauge("connected", () -> connected ? 1 : 0);
        group.gauge("stalled", () -> stalled ? 1 : 0);
        group.gauge("queuedMessages", () -> queued.getAsInt());
        group.gauge("unackedMessages", () -> unacked.getAsInt());
        group.gauge("lastMessageAgeMs", () -> System.currentTimeMillis() - lastMessageAt.get());
    }

    void trackQueue(IntSupplier queued) {
        this.queued = queued;
    }

    /** Messages received and not acked yet (at-least-once: queued, or emitted and waiting for a checkpoint). */
    void trackUnacked(IntSupplier unacked) {
        this.unacked = unacked;
    }

    int unacked() {
        return unacked.getAsInt();
    }

    void messageReceived(long now) {
        lastMessageAt.lazySet(now);
    }

    long lastMessageAt() {
        return lastMessageAt.get();
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
