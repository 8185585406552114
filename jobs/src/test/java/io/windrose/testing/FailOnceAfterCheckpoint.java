package io.windrose.testing;

import io.windrose.mqtt.MqttMessage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Throws once, {@code after} (200) messages after the first completed checkpoint that covers at least {@code threshold}
 * messages.
 */
public final class FailOnceAfterCheckpoint implements MapFunction<MqttMessage, MqttMessage>, CheckpointListener {
    public static final AtomicLong PASSED = new AtomicLong();
    public static final AtomicLong CHECKPOINTED_AT = new AtomicLong();
    public static final AtomicBoolean FAILED = new AtomicBoolean();
    static volatile long threshold;
    static volatile long after;

    public static void reset(long threshold) {
        reset(threshold, 200);
    }

    public static void reset(long threshold, long after) {
        PASSED.set(0);
        CHECKPOINTED_AT.set(0);
        FAILED.set(false);
        FailOnceAfterCheckpoint.threshold = threshold;
        FailOnceAfterCheckpoint.after = after;
    }

    @Override
    public MqttMessage map(MqttMessage message) {
        long n = PASSED.incrementAndGet();
        long checkpointed = CHECKPOINTED_AT.get();
        if (checkpointed >= threshold && n >= checkpointed + after && FAILED.compareAndSet(false, true)) {
            throw new IllegalStateException("injected failure after " + n + " messages");
        }
        return message;
    }

    /** Remembers the first completed checkpoint that covers the threshold; later ones do not move the failure point. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (!FAILED.get() && CHECKPOINTED_AT.get() < threshold) {
            CHECKPOINTED_AT.set(PASSED.get());
        }
    }
}
