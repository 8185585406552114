package io.windrose.mqtt;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/** What the pipeline reads of each MQTT message: its topic, payload and arrival time (decoding comes later). */
public final class MqttMessageSchema implements MqttDeserializationSchema<MqttMessage> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(MqttRecord record, Collector<MqttMessage> out) {
        out.collect(new MqttMessage(record.topic(), record.payload(), record.receivedAt()));
    }

    @Override
    public TypeInformation<MqttMessage> getProducedType() {
        return TypeInformation.of(MqttMessage.class);
    }
}
