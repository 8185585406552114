package io.windrose.history;

import io.windrose.schema.SensorReading;
import io.windrose.sink.KafkaSinkConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.AvroDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive's readings of an interval, as a bounded Kafka source: from the first record whose timestamp (the
 * reading's event time) is at or after the interval's start less a margin, to the first after its end plus the margin
 * whose watermark stamp is past that too — archive order is arrival order, so readings up to the margin out of order,
 * and readings the live job took before its watermark caught up with one far ahead, are still found — read committed,
 * each with the watermark it was judged by.
 */
public final class ArchiveSource {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiveSource.class);
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
        Bounds bounds = bounds();
        return KafkaSource.<Tuple2<SensorReading, Long>>builder()
                .setBootstrapServers(kafka.bootstrapServers)
                .setTopics(kafka.readingsTopic)
                .setProperties(properties)
                .setStartingOffsets(OffsetsInitializer.offsets(bounds.start()))
                .setBounded(OffsetsInitializer.offsets(bounds.stop()))
                .setDeserializer(new Records())
                .build();
    }

    /** How many records the source will read at most (transaction markers and the margins count too). */
    public long records() {
        return bounds().records();
    }

    /** Per partition, where the read starts and where it stops (exclusive). */
    record Bounds(Map<TopicPartition, Long> start, Map<TopicPartition, Long> stop) {
        long records() {
            return start.keySet().stream().mapToLong(p -> Math.max(0, stop.get(p) - start.get(p))).sum();
        }
    }

    /**
     * Whether a partition's read ends at a record (exclusive), once past the first record at or after the stop time:
     * the live watermark it was stamped with had passed the stop time, so the live job took no later reading into a
     * window of the interval. Stopping at the stop time alone would miss readings of the interval the live job took
     * after one far ahead in time (a clock ahead, a source subtask ahead) and before its watermark followed.
     */
    static boolean endsRead(long stamp, long stopMs) {
        return stamp >= stopMs;
    }

    /**
     * Where each partition's read starts (the first record at or after the start time) and stops (the first record
     * at or after the stop time whose stamp {@link #endsRead ends the read}; the end of the committed records if none).
     */
    Bounds bounds() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.readingsTopic).stream()
                    .map(p -> new TopicPartition(kafka.readingsTopic, p.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // read committed: the last stable offset
            Map<TopicPartition, Long> start = atTime(consumer, partitions, startMs, end);
            Map<TopicPartition, Long> stopTime = atTime(consumer, partitions, stopMs, end);
            Map<TopicPartition, Long> stop = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (TopicPartition partition : partitions) {
                stop.put(partition, scan(consumer, partition, stopTime.get(partition), end.get(partition), deadline));
            }
            return new Bounds(start, stop);
        }
    }

    private Map<TopicPartition, Long> atTime(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            long time, Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, time));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.offsetsForTimes(query).forEach((p, found) -> offsets.put(p, found == null ? end.get(p)
                : Math.min(found.offset(), end.get(p))));
        return offsets;
    }

    /** The first offset from {@code from} on whose record ends the read, or {@code end}. */
    private long scan(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long from, long end,
            long deadline) {
        if (from >= end) {
            return end;
        }
        consumer.assign(List.of(partition));
        consumer.seek(partition, from);
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                // reading to the end is never wrong (the stamps leave out what the live job did), only longer
                LOG.warn("Archive {}: no record stamped past the interval found within 60 s; reading partition {} to"
                        + " its end", kafka.readingsTopic, partition.partition());
                return end;
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() >= end) {
                    return end;
                }
                Long stamp = ArchiveRecords.watermark(record.headers());
                if (stamp != null && endsRead(stamp, stopMs)) {
                    return record.offset();
                }
            }
        }
        return end;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = new Properties();
        properties.putAll(kafka.properties);
        properties.put("bootstrap.servers", kafka.bootstrapServers);
        properties.put("isolation.level", "read_committed");
        properties.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The highest watermark the live job has stamped archived readings with (its last records'), or
     * {@code Long.MIN_VALUE} for an empty archive: windows that end after it may still be open in the live job.
     */
    public long liveWatermark() {
        long highest = Long.MIN_VALUE;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
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
