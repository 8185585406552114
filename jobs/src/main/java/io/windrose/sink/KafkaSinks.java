package io.windrose.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;

/** Kafka sinks with Avro values (schemas from the windrose-schemas module) and the sensor id as key. */
public final class KafkaSinks {
    private KafkaSinks() {}

    /**
     * @param guarantee none, at-least-once or exactly-once
     * @param key the record key (the sensor id), or null for no key
     */
    public static <T extends SpecificRecord> KafkaSink<T> avro(String bootstrapServers, String topic, Class<T> type,
            SerializableFunction<T, String> key, String guarantee, String transactionalIdPrefix,
            Map<String, String> producerProperties) {
        Properties properties = new Properties();
        properties.putAll(producerProperties);
        // must not exceed the broker's transaction.max.timeout.ms (15 minutes by default)
        properties.putIfAbsent("transaction.timeout.ms", "900000");
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrapServers)
                .setKafkaProducerConfig(properties)
                .setDeliveryGuarantee(deliveryGuarantee(guarantee))
                .setTransactionalIdPrefix(transactionalIdPrefix + "-" + topic)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(new KeySchema<>(key))
                        .setValueSerializationSchema(AvroSerializationSchema.forSpecific(type))
                        .build())
                .build();
    }

    static DeliveryGuarantee deliveryGuarantee(String value) {
        return switch (value) {
            case "none" -> DeliveryGuarantee.NONE;
            case "exactly-once" -> DeliveryGuarantee.EXACTLY_ONCE;
            default -> DeliveryGuarantee.AT_LEAST_ONCE;
        };
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
