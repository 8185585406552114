package io.windrose.testing;

import io.windrose.consume.AvroTopicReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Reads a topic from the beginning, as a downstream consumer would (through {@link AvroTopicReader}). */
public final class TestKafka {
    private TestKafka() {}

    /** A decoded record with its key. */
    public record Keyed<T>(String key, T value) {}

    /**
     * Reads committed records until {@code expected} arrived (or the timeout), then keeps reading 1 s more to catch
     * extras.
     */
    public static <T extends SpecificRecord> List<Keyed<T>> read(String bootstrap, String topic, Class<T> type,
            int expected, Duration timeout) {
        return read(bootstrap, topic, type, expected, timeout, "read_committed");
    }

    /** As {@link #read}, with the consumer's {@code isolation.level}: read_uncommitted also sees aborted transactions. */
    public static <T extends SpecificRecord> List<Keyed<T>> read(String bootstrap, String topic, Class<T> type,
            int expected, Duration timeout, String isolationLevel) {
        List<Keyed<T>> records = new ArrayList<>();
        try (AvroTopicReader<T> reader = new AvroTopicReader<>(bootstrap, topic, type,
                Map.of("isolation.level", isolationLevel))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (AvroTopicReader.Keyed<T> record : reader.poll(Duration.ofMillis(200))) {
                    records.add(new Keyed<>(record.key(), record.value()));
                }
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return records;
    }
}
