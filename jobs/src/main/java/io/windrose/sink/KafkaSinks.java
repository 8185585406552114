package io.windrose.sink;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Builds the Kafka sinks of one {@code sinks.kafka} section: Avro values (schemas from the windrose-schemas module),
 * the sensor id as key, the section's brokers, producer properties and delivery guarantee.
 */
public final class KafkaSinks {
    private final KafkaSinkConfig config;

    public KafkaSinks(KafkaSinkConfig config) {
        this.config = config;
    }

    /** @param key the record key (the sensor id), or a function returning null for no key */
    public <T extends SpecificRecord> KafkaSink<T> avro(String topic, Class<T> type, SerializableFunction<T, String> key) {
        return sink(topic, KafkaRecordSerializationSchema.<T>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new KeySchema<>(key))
                .setValueSerializationSchema(AvroSerializationSchema.forSpecific(type))
                .build());
    }

    /** A sink of text records (JSON) without key, with the section's settings. */
    public KafkaSink<String> text(String topic) {
        return sink(topic, KafkaRecordSerializationSchema.<String>builder()
                .setTopic(topic)
                .setValueSerializationSchema(new SimpleStringSchema())
                .build());
    }

    /** A sink of records {@code serializer} makes for {@code topic}, with the section's settings. */
    public <T> KafkaSink<T> sink(String topic, KafkaRecordSerializationSchema<T> serializer) {
        Properties properties = new Properties();
        properties.putAll(config.properties);
        // must not exceed the broker's transaction.max.timeout.ms (15 minutes by default)
        properties.putIfAbsent("transaction.timeout.ms", "900000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setKafkaProducerConfig(properties)
                .setDeliveryGuarantee(config.deliveryGuarantee)
                .setTransactionalIdPrefix(config.transactionalIdPrefix + "-" + topic)
                .setRecordSerializer(serializer)
                .build();
    }

    private static final class KeySchema<T> implements SerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, String> key;

        KeySchema(SerializableFunction<T, String> key) {
            this.key = key;
        }

        @Override
        public byte[] serialize(T element) {
            String value = key.apply(element);
            return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }
    }
}
