package io.windrose.decode;

import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/** Builds {@link DeadLetter} records, keeping the raw payload up to a bound. */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(MqttMessage message, DeadLetterReason reason, String detail, String sensorId,
            int maxPayloadBytes) {
        byte[] payload = message.payload == null ? new byte[0] : message.payload;
        byte[] kept = payload.length > maxPayloadBytes ? Arrays.copyOf(payload, maxPayloadBytes) : payload;
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setDetail(detail == null ? "" : detail)
                .setTopic(message.topic)
                .setSensorId(sensorId)
                .setReceivedAt(Instant.ofEpochMilli(message.receivedAt))
                .setPayload(ByteBuffer.wrap(kept))
                .setPayloadSize(payload.length)
                .build();
    }
}
