package io.windrose.action;

import io.windrose.action.state.MqttCommand;
import io.windrose.flink.connector.mqtt.sink.MqttOutgoingRecord;
import io.windrose.flink.connector.mqtt.sink.MqttRecordSerializationSchema;
import java.nio.charset.StandardCharsets;

/** A command as the message to publish: its topic, payload (UTF-8, or its binary one), QoS, retain flag and expiry (MQTT 5 message expiry). */
final class MqttCommandSchema implements MqttRecordSerializationSchema<MqttCommand> {
    private static final long serialVersionUID = 1L;

    @Override
    public MqttOutgoingRecord serialize(MqttCommand command) {
        byte[] payload;
        if (command.getBinary() != null) {
            java.nio.ByteBuffer binary = command.getBinary().duplicate();
            payload = new byte[binary.remaining()];
            binary.get(payload);
        } else {
            payload = command.getPayload().getBytes(StandardCharsets.UTF_8);
        }
        return MqttOutgoingRecord.builder(command.getTopic(), payload)
                .qos(command.getQos())
                .retain(command.getRetain())
                .messageExpirySeconds(command.getExpirySeconds())
                .build();
    }
}
