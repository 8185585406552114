package io.windrose.consume;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one of Windrose's topics as a downstream consumer does: plain Avro binary values of one schema from the
 * schemas module (also those written by earlier versions: {@link AppendedFieldsReader}), keys = sensor ids. A fresh consumer group from the earliest offset unless settings say otherwise.
 */
public final class AvroTopicReader<T extends SpecificRecord> implements AutoCloseable {
    /** A record with its key and position. */
    public record Keyed<T>(String key, T value, int partition, long offset) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final AppendedFieldsReader<T> reader;
    private final String topic;
    private final String typeName;

    /** @param settings consumer settings over the defaults, e.g. isolation.level or security.protocol */
    public AvroTopicReader(String bootstrap, String topic, Class<T> type, Map<String, String> settings) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "windrose-reader-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed");
        props.putAll(settings);
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.consumer.subscribe(List.of(topic));
        this.reader = new AppendedFieldsReader<>(type);
        this.topic = topic;
        this.typeName = type.getSimpleName();
    }

    public List<Keyed<T>> poll(Duration timeout) {
        List<Keyed<T>> values = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            values.add(decode(record, reader, topic, typeName));
        }
        return values;
    }

    /**
     * Every record of {@code topic} from its beginning up to the end offsets its partitions had when this was called,
     * in offset order per partition: committed records only, unless {@code settings} set another
     * {@code isolation.level}. Empty when the topic does not exist (it is not created).
     *
     * @param settings consumer settings over the defaults, e.g. security.protocol
     * @throws TimeoutException when Kafka did not answer, or the records were not read, within {@code timeout}
     * @throws UncheckedIOException when a record is not a {@code type}
     */
    public static <T extends SpecificRecord> List<Keyed<T>> readToEnd(String bootstrap, String topic, Class<T> type,
            Map<String, String> settings, Duration timeout) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("allow.auto.create.topics", "false");
        props.putAll(settings);
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", ByteArrayDeserializer.class.getName());
        props.put("value.deserializer", ByteArrayDeserializer.class.getName());
        AppendedFieldsReader<T> reader = new AppendedFieldsReader<>(type);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Keyed<T>> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                return values;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            List<TopicPartition> open = new ArrayList<>(partitions);
            while (true) {
                open.removeIf(partition -> consumer.position(partition, remaining(deadline)) >= end.get(partition));
                if (open.isEmpty()) {
                    return values;
                }
                if (System.nanoTime() >= deadline) {
                    throw new TimeoutException("read " + values.size() + " records of " + topic + " in "
                            + timeout.toSeconds() + " s, not yet up to its end offsets " + end.values());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        values.add(decode(record, reader, topic, type.getSimpleName()));
                    }
                }
            }
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(Duration.ofMillis(100).toNanos(), deadline - System.nanoTime()));
    }

    private static <T extends SpecificRecord> Keyed<T> decode(ConsumerRecord<byte[], byte[]> record,
            AppendedFieldsReader<T> reader, String topic, String typeName) {
        try {
            T value = reader.read(record.value());
            return new Keyed<>(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                    value, record.partition(), record.offset());
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException(new IOException("record " + record.partition() + "/" + record.offset()
                    + " on " + topic + " is not a " + typeName + ": " + e, e));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
