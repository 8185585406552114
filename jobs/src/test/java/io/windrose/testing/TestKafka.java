package io.windrose.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from the beginning, as a downstream consumer would, decoding plain Avro binary values. */
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
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", isolationLevel);
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        List<Keyed<T>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        T value = reader.read(null, DecoderFactory.get().binaryDecoder(record.value(), null));
                        records.add(new Keyed<>(record.key() == null ? null : new String(record.key()), value));
                    } catch (IOException e) {
                        throw new UncheckedIOException("record on " + topic + " is not a " + type.getSimpleName(), e);
                    }
                }
                if (records.size() >= expected && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        return records;
    }
}
