package io.windrose.history;

import io.windrose.schema.SensorReading;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.sink.KafkaTopics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The archive's Kafka records: value the reading as Avro {@code SensorReading}, key its sensor id, timestamp its event
 * time, and header {@value #WATERMARK_HEADER} the watermark it was judged by (8 bytes, big-endian milliseconds). Its
 * writers create the topic when it is missing, with the archive's retention: the producer would create it with the
 * broker's defaults.
 */
public final class ArchiveRecords implements KafkaRecordSerializationSchema<Tuple2<SensorReading, Long>> {
    private static final long serialVersionUID = 1L;
    /** The header holding the watermark a reading was judged by when the live job offered it to its windows. */
    public static final String WATERMARK_HEADER = "windrose.watermark";

    private final String topic;
    private final String bootstrapServers;
    private final Map<String, String> properties;
    private final Map<String, String> topicConfigs;
    private final AvroSerializationSchema<SensorReading> values = AvroSerializationSchema.forSpecific(SensorReading.class);

    public ArchiveRecords(KafkaSinkConfig kafka) {
        this.topic = kafka.readingsTopic;
        this.bootstrapServers = kafka.bootstrapServers;
        this.properties = new LinkedHashMap<>(kafka.properties);
        // CreateTime (the broker's default, said explicitly): the record's timestamp is the reading's event time, by
        // which a replay finds the offsets of an interval
        this.topicConfigs = Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(kafka.readingsRetention.toMillis()),
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) throws Exception {
        values.open(context);
        // on the task, where Kafka is reached from (not where the job is built), before the first record
        KafkaTopics.createMissing(bootstrapServers, properties, "sinks.kafka.readings-topic",
                List.of(KafkaTopics.topic(topic, topicConfigs)));
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(Tuple2<SensorReading, Long> stamped, KafkaSinkContext context,
            Long timestamp) {
        SensorReading reading = stamped.f0;
        RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(WATERMARK_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(stamped.f1).array()));
        return new ProducerRecord<>(topic, null, timestamp == null || timestamp < 0 ? null : timestamp,
                reading.getSensorId().getBytes(StandardCharsets.UTF_8), values.serialize(reading), headers);
    }

    /** The watermark of an archive record's headers, or null when it has none. */
    public static Long watermark(org.apache.kafka.common.header.Headers headers) {
        org.apache.kafka.common.header.Header header = headers.lastHeader(WATERMARK_HEADER);
        return header == null || header.value().length != Long.BYTES ? null : ByteBuffer.wrap(header.value()).getLong();
    }
}
