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
            try {
                T value = reader.read(record.value());
                values.add(new Keyed<>(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        value, record.partition(), record.offset()));
            } catch (IOException | RuntimeException e) {
                throw new UncheckedIOException(new IOException("record " + record.partition() + "/" + record.offset()
                        + " on " + topic + " is not a " + typeName + ": " + e, e));
            }
        }
        return values;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
