package io.windrose.sink;

import io.windrose.deadletter.DeadLetterProducer;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.deadletter.DeadLetters;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.function.SerializableFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers line protocol and writes it in batches: when the batch is full, after the linger time, and on every
 * checkpoint. A batch that fails for want of an answer, by throttling (429) or a server error (5xx) is retried with
 * exponential back-off and jitter, or after the server's Retry-After, while the job waits (back-pressure, not an
 * unbounded buffer) — up to the retry timeout, then the job fails and restarts from its last checkpoint. A batch the
 * server refuses (400, 413, 422: e.g. a field type conflict) is split in halves until the refused points are alone;
 * those become dead letters with the server's message, the rest is written (points are idempotent, so writing one twice
 * after a partial write changes nothing).
 */
final class InfluxDbWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbWriter.class);

    private final InfluxDbConfig config;
    private final DeadLetterProducer.Options deadLetterTopic;
    private final LineProtocolClient client;
    private final PointMapper<T> mapper;
    private final SerializableFunction<T, String> keyOf;
    private final ProcessingTimeService timers;
    private final DeadLetterProducer deadLetters;
    private final List<String> lines = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    private final Counter pointsWritten;
    private final Counter batchesWritten;
    private final Counter retries;
    private final Counter failures;
    private final Counter pointsRejected;
    private final Counter pointsDeleted;
    private final Counter pointsWithoutFields;
    private final Histogram writeLatencyMs;
    private boolean timerPending;
    private long lastWithoutFieldsLogNanos;

    /** @param deadLetterTopic where refused points go, or null to log them */
    InfluxDbWriter(InfluxDbConfig config, LineProtocolClient client, DeadLetterProducer.Options deadLetterTopic,
            PointMapper<T> mapper, SerializableFunction<T, String> keyOf, ProcessingTimeService timers, MetricGroup metrics) {
        this.config = config;
        this.deadLetterTopic = deadLetterTopic;
        this.client = client;
        this.mapper = mapper;
        this.keyOf = keyOf;
        this.timers = timers;
        this.deadLetters = deadLetterTopic == null ? null : new DeadLetterProducer(deadLetterTopic);
        MetricGroup group = metrics.addGroup("influxdb");
        this.pointsWritten = group.counter("pointsWritten");
        this.batchesWritten = group.counter("batchesWritten");
        this.retries = group.counter("retries");
        this.failures = group.counter("failedRequests");
        this.pointsRejected = group.counter("pointsRejected");
        this.pointsDeleted = group.counter("pointsDeleted");
        this.pointsWithoutFields = group.counter("pointsWithoutFields");
        this.writeLatencyMs = group.histogram("writeLatencyMs", new DescriptiveStatisticsHistogram(1_000));
        group.gauge("bufferedPoints", lines::size);
    }

    @Override
    public void write(T element, Context context) throws IOException {
        PointDeletion deletion = mapper.deletion(element);
        if (deletion != null) {
            writeBuffer(); // what is buffered may be the very point
            delete(deletion, keyOf.apply(element));
            return;
        }
        String line = mapper.toPoint(element).toLineProtocol();
        if (line.isEmpty()) {
            skipWithoutFields();
            return;
        }
        lines.add(line);
        keys.add(keyOf.apply(element));
        if (lines.size() >= config.batchSize) {
            writeBuffer();
        } else if (!timerPending) {
            timerPending = true;
            timers.registerTimer(timers.getCurrentProcessingTime() + config.flushInterval.toMillis(), time -> {
                timerPending = false;
                writeBuffer();
            });
        }
    }

    /**
     * An element whose point has no field with a value (its line is empty: InfluxDB takes no point without fields) is
     * not sent, but counted ({@code influxdb.pointsWithoutFields}) and logged at most once a minute.
     */
    private void skipWithoutFields() {
        pointsWithoutFields.inc();
        long now = System.nanoTime();
        if (lastWithoutFieldsLogNanos == 0 || now - lastWithoutFieldsLogNanos >= 60_000_000_000L) {
            lastWithoutFieldsLogNanos = now;
            LOG.warn("A point for InfluxDB {} had no field with a value and was left out ({} so far in this subtask; "
                    + "metric influxdb.pointsWithoutFields)", config.target(), pointsWithoutFields.getCount());
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        writeBuffer();
        if (deadLetters != null) {
            deadLetters.flush();
        }
    }

    private void writeBuffer() throws IOException {
        if (!lines.isEmpty()) {
            write(0, lines.size());
            lines.clear();
            keys.clear();
        }
    }

    /** Writes lines [from, to), splitting it while the server refuses points in it. */
    private void write(int from, int to) throws IOException {
        try {
            writeWithRetries(lines.subList(from, to));
        } catch (InfluxWriteException e) {
            if (!e.pointsRejected()) {
                throw e;
            }
            if (to - from == 1) {
                reject(lines.get(from), keys.get(from), e.getMessage());
            } else {
                int middle = (from + to) >>> 1;
                write(from, middle);
                write(middle, to);
            }
        }
    }

    private void writeWithRetries(List<String> batch) throws IOException {
        long start = System.nanoTime();
        long deadline = start + config.retryTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            long sent = System.nanoTime();
            try {
                client.write(batch);
                writeLatencyMs.update((System.nanoTime() - sent) / 1_000_000);
                pointsWritten.inc(batch.size());
                batchesWritten.inc();
                if (attempt > 1) {
                    LOG.info("InfluxDB writes to {} recovered after {} attempts in {} s", config.target(), attempt,
                            (System.nanoTime() - start) / 1_000_000_000);
                }
                return;
            } catch (InfluxWriteException e) {
                failures.inc();
                if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
                    throw new IOException("InfluxDB " + config.target() + " refused the write (" + e.getMessage()
                            + "): check sinks.influxdb (token / username and password, org, bucket or database)", e);
                }
                if (!e.retryable()) {
                    throw e;
                }
                long delay = delayMs(attempt, e.retryAfterMs());
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw new IOException("InfluxDB " + config.target() + " still failing after "
                            + config.retryTimeout.toSeconds() + " s (sinks.influxdb.retry-timeout): " + e.getMessage(), e);
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("InfluxDB write of {} points to {} failed ({}); retrying in {} ms (attempt {}), the job "
                            + "waits meanwhile", batch.size(), config.target(), e.getMessage(), delay, attempt);
                }
                retries.inc();
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry an InfluxDB write");
                }
            }
        }
    }

    /** Deletes a point, retried as writes are; one the server cannot delete becomes a dead letter. */
    private void delete(PointDeletion point, String key) throws IOException {
        long deadline = System.nanoTime() + config.retryTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                client.delete(point);
                pointsDeleted.inc();
                return;
            } catch (InfluxWriteException e) {
                failures.inc();
                if (!e.retryable() || System.nanoTime() > deadline) {
                    reject(point.toString(), key, "could not delete a point of a retracted window: " + e.getMessage());
                    return;
                }
                retries.inc();
                try {
                    Thread.sleep(delayMs(attempt, e.retryAfterMs()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry an InfluxDB delete");
                }
            }
        }
    }

    /** Exponential back-off with jitter (half to all of the step), or the server's Retry-After. */
    private long delayMs(int attempt, long retryAfterMs) {
        if (retryAfterMs >= 0) {
            return retryAfterMs;
        }
        long step = Math.min(config.retryMaxDelay.toMillis(),
                config.retryInitialDelay.toMillis() << Math.min(attempt - 1, 20));
        return step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    }

    private void reject(String line, String key, String serverMessage) throws IOException {
        pointsRejected.inc();
        if (deadLetters == null) {
            LOG.error("InfluxDB {} refused a point, and the Kafka dead-letter topic is off: {} — {}", config.target(),
                    serverMessage, line);
            return;
        }
        deadLetters.send(DeadLetters.of(DeadLetterReason.REJECTED_BY_INFLUXDB, serverMessage, "influxdb " + config.target(),
                key, System.currentTimeMillis(), line.getBytes(StandardCharsets.UTF_8),
                deadLetterTopic.maxPayloadBytes()));
    }

    @Override
    public void close() {
        client.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
    }
}
