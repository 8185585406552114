package io.windrose.mqtt.reader;

import io.windrose.mqtt.common.MqttMessage;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/**
 * Emits each message with its arrival time as timestamp (event time proper is assigned after decoding) and, for
 * at-least-once, keeps its ack for the next checkpoint.
 */
final class MqttRecordEmitter implements RecordEmitter<ReceivedMessage, MqttMessage, MqttSubscriptionSplit> {
    private final CheckpointAcks acks;
    private final MqttReaderMetrics metrics;

    MqttRecordEmitter(CheckpointAcks acks, MqttReaderMetrics metrics) {
        this.acks = acks;
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(ReceivedMessage received, SourceOutput<MqttMessage> output, MqttSubscriptionSplit split) {
        MqttMessage message = received.message();
        output.collect(message, message.receivedAt);
        metrics.bytesIn.inc(message.payload.length);
        if (received.ack() != null) {
            acks.add(received.ack());
        }
    }
}
