package io.windrose.mqtt.reader;

import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits each message as it is; event time is assigned after decoding. */
final class MqttRecordEmitter implements RecordEmitter<MqttMessage, MqttMessage, MqttSubscriptionSplit> {
    @Override
    public void emitRecord(MqttMessage message, SourceOutput<MqttMessage> output, MqttSubscriptionSplit split) {
        output.collect(message);
    }
}
