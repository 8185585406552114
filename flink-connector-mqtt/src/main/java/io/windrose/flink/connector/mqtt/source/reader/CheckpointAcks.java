package io.windrose.flink.connector.mqtt.source.reader;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The acks of emitted messages, held until the checkpoint that covers them completes. Used on the task thread
 * (emit, snapshot and checkpoint-complete all run there), except the count of un-acked messages, which starts when the
 * client hands a message over ({@link #received()}, network thread) and ends when its ack is sent.
 */
final class CheckpointAcks {
    private List<Runnable> sinceLastSnapshot = new ArrayList<>();
    private final TreeMap<Long, List<Runnable>> byCheckpoint = new TreeMap<>();
    private final AtomicInteger unacked = new AtomicInteger();

    /** A message needing an ack was received; call before it is queued. */
    void received() {
        unacked.incrementAndGet();
    }

    /** A message was emitted downstream; its ack waits for the next checkpoint. */
    void add(Runnable ack) {
        sinceLastSnapshot.add(ack);
    }

    /** The checkpoint barrier {@code checkpointId} is being emitted: everything emitted so far belongs to it. */
    void snapshot(long checkpointId) {
        if (!sinceLastSnapshot.isEmpty()) {
            byCheckpoint.put(checkpointId, sinceLastSnapshot);
            sinceLastSnapshot = new ArrayList<>();
        }
    }

    /** Sends the acks of {@code checkpointId} and of earlier checkpoints whose notification never came; returns how many. */
    int complete(long checkpointId) {
        int acked = 0;
        Iterator<Map.Entry<Long, List<Runnable>>> it = byCheckpoint.headMap(checkpointId, true).entrySet().iterator();
        while (it.hasNext()) {
            for (Runnable ack : it.next().getValue()) {
                ack.run();
                acked++;
            }
            it.remove();
        }
        unacked.addAndGet(-acked);
        return acked;
    }

    /** Received and not acked yet: queued, emitted and waiting for a checkpoint. */
    int unacked() {
        return unacked.get();
    }
}
