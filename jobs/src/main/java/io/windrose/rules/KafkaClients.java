package io.windrose.rules;

import io.windrose.sink.KafkaSinkConfig;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The Kafka clients of the commands that talk to a running job: text keys and values, the section's properties. */
final class KafkaClients {
    private KafkaClients() {}

    /** A consumer of committed records, without a group's offsets (the caller assigns and seeks). */
    static KafkaConsumer<String, String> consumer(KafkaSinkConfig kafka) {
        Properties properties = properties(kafka);
        properties.put("key.deserializer", StringDeserializer.class.getName());
        properties.put("value.deserializer", StringDeserializer.class.getName());
        properties.put("enable.auto.commit", "false");
        properties.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(properties);
    }

    /** A producer whose records are acknowledged by every in-sync replica. */
    static KafkaProducer<String, String> producer(KafkaSinkConfig kafka) {
        return producer(kafka, null);
    }

    /**
     * As {@link #producer(KafkaSinkConfig)}; a send waits for Kafka's metadata at most {@code maxBlock} (unless the
     * section's properties set {@code max.block.ms}), null: Kafka's default.
     */
    static KafkaProducer<String, String> producer(KafkaSinkConfig kafka, Duration maxBlock) {
        Properties properties = properties(kafka);
        if (maxBlock != null) {
            properties.putIfAbsent("max.block.ms", String.valueOf(maxBlock.toMillis()));
        }
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        properties.put("acks", "all");
        return new KafkaProducer<>(properties);
    }

    private static Properties properties(KafkaSinkConfig kafka) {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.put("bootstrap.servers", kafka.bootstrapServers);
        return properties;
    }
}
