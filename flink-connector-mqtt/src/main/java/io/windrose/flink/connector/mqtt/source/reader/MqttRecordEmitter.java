package io.windrose.flink.connector.mqtt.source.reader;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;

/**
 * Emits what the deserialization schema makes of each message, with the message's arrival time as timestamp (event
 * time proper is the job's to assign) and, for at-least-once, keeps its ack for the next checkpoint.
 */
final class MqttRecordEmitter<T> implements RecordEmitter<ReceivedMessage, T, MqttSubscriptionSplit> {
    private final MqttDeserializationSchema<T> deserializer;
    private final CheckpointAcks acks;
    private final MqttReaderMetrics metrics;
    private final TimestampedOutput<T> output = new TimestampedOutput<>();

    MqttRecordEmitter(MqttDeserializationSchema<T> deserializer, CheckpointAcks acks, MqttReaderMetrics metrics) {
        this.deserializer = deserializer;
        this.acks = acks;
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(ReceivedMessage received, SourceOutput<T> sourceOutput, MqttSubscriptionSplit split)
            throws Exception {
        MqttRecord record = received.record();
        output.output = sourceOutput;
        output.timestamp = record.receivedAt();
        deserializer.deserialize(record, output);
        metrics.bytesIn.inc(record.payload().length);
        if (received.ack() != null) {
            acks.add(received.ack());
        }
    }

    /** Hands the schema's records to the source output with the message's timestamp. */
    private static final class TimestampedOutput<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T record) {
            output.collect(record, timestamp);
        }

        @Override
        public void close() {}
    }
}
