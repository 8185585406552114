package io.windrose.history;

import io.windrose.schema.SensorReading;
import io.windrose.sink.KafkaSinkConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.AvroDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The archive's readings of an interval, as a bounded Kafka source: from the first record whose timestamp (the
 * reading's event time) is at or after the interval's start less a margin, to the first at or after its end plus the
 * margin — archive order is arrival order, so readings up to the margin out of order are still found — read committed,
 * each with the watermark it was judged by.
 */
public final class ArchiveSource {
    private static final int TAIL = 100;

    private final KafkaSinkConfig kafka;
    private final long startMs;
    private final long stopMs;

    /** @param margin how far out of order (and late) a reading of the interval may be in the archive */
    public ArchiveSource(KafkaSinkConfig kafka, Interval interval, Duration margin) {
        this.kafka = kafka;
        this.startMs = interval.from().toEpochMilli() - margin.toMillis();
        this.stopMs = interval.to().toEpochMilli() + margin.toMillis();
    }

    public KafkaSource<Tuple2<SensorReading, Long>> source() {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.setProperty("isolation.level", "read_committed"); // an exactly-once archive: what the job committed
        return KafkaSource.<Tuple2<SensorReading, Long>>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(kafka.readingsTopic)
                .setProperties(properties)
                .setStartingOffsets(OffsetsInitializer.timestamp(startMs))
                .setBounded(OffsetsInitializer.timestamp(stopMs))
                .setDeserializer(new Records())
                .build();
    }

    /** How many records the source will read at most (transaction markers and the margins count too). */
    public long records() throws ExecutionException, InterruptedException {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.put("bootstrap.servers", kafka.bootstrapServers);
        try (Admin admin = Admin.create(properties)) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(kafka.readingsTopic)).allTopicNames().get()
                    .get(kafka.readingsTopic).partitions().stream()
                    .map(p -> new TopicPartition(kafka.readingsTopic, p.partition())).toList();
            ListOffsetsOptions committed = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            Map<TopicPartition, Long> start = offsets(admin, partitions, OffsetSpec.forTimestamp(startMs), committed);
            Map<TopicPartition, Long> stop = offsets(admin, partitions, OffsetSpec.forTimestamp(stopMs), committed);
            long total = 0;
            for (TopicPartition partition : partitions) {
                total += Math.max(0, stop.get(partition) - start.get(partition));
            }
            return total;
        }
    }

    /**
     * The highest watermark the live job has stamped archived readings with (its last records'), or
     * {@code Long.MIN_VALUE} for an empty archive: windows that end after it may still be open in the live job.
     */
    public long liveWatermark() {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.put("bootstrap.servers", kafka.bootstrapServers);
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        long highest = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.readingsTopic).stream()
                    .map(p -> new TopicPartition(kafka.readingsTopic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                // the last records (a transaction's markers take offsets too): watermarks rise along a partition
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - TAIL));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Long watermark = ArchiveRecords.watermark(record.headers());
                    if (watermark != null) {
                        highest = Math.max(highest, watermark);
                    }
                }
            }
        }
        return highest;
    }

    /** Offsets for {@code spec}; where no record is at or after the time, the end. */
    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec,
            ListOffsetsOptions options) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> {
            request.put(p, spec);
            latest.put(p, OffsetSpec.latest());
        });
        var found = admin.listOffsets(request, options).all().get();
        var end = admin.listOffsets(latest, options).all().get();
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : partitions) {
            long offset = found.get(p).offset();
            offsets.put(p, offset < 0 ? end.get(p).offset() : offset);
        }
        return offsets;
    }

    /** Avro {@code SensorReading} values with their watermark header (none: judged by no watermark). */
    private static final class Records implements KafkaRecordDeserializationSchema<Tuple2<SensorReading, Long>> {
        private static final long serialVersionUID = 1L;
        private final AvroDeserializationSchema<SensorReading> values =
                AvroDeserializationSchema.forSpecific(SensorReading.class);

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            values.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Tuple2<SensorReading, Long>> out)
                throws IOException {
            Long watermark = ArchiveRecords.watermark(record.headers());
            ReplayProgress.READ.incrementAndGet();
            out.collect(Tuple2.of(values.deserialize(record.value()), watermark == null ? Long.MIN_VALUE : watermark));
        }

        @Override
        public TypeInformation<Tuple2<SensorReading, Long>> getProducedType() {
            return ArchiveStamp.STAMPED;
        }
    }
}
