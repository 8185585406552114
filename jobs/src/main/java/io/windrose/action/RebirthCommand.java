package io.windrose.action;

import io.windrose.action.state.MqttCommand;
import io.windrose.mqtt.MqttMessage;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A Sparkplug B rebirth request (an NCMD message the decoder asks for) as a command for the MQTT command sink: QoS 0
 * and not retained, as the specification wants commands; dropped if it waited longer than a minute (the node has
 * been asked again by then, or no longer needs it).
 */
public final class RebirthCommand implements MapFunction<MqttMessage, MqttCommand> {
    private static final long serialVersionUID = 1L;
    /** How long a rebirth request may wait for the sink before it is not worth sending. */
    static final long EXPIRY_SECONDS = 60;

    @Override
    public MqttCommand map(MqttMessage request) {
        return MqttCommand.newBuilder()
                .setTopic(request.topic)
                .setPayload("")
                .setBinary(ByteBuffer.wrap(request.payload))
                .setQos(0)
                .setRetain(false)
                .setExpirySeconds(EXPIRY_SECONDS)
                .setEventTime(request.receivedAt)
                .setRule("sparkplug-rebirth")
                .setSensorId(request.topic)
                .build();
    }
}
