package io.windrose.decode;

import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/** Builds {@link DeadLetter} records; the raw payload is kept up to {@link #MAX_PAYLOAD_BYTES}. */
public final class DeadLetters {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private DeadLetters() {}

    public static DeadLetter of(MqttMessage message, DeadLetterReason reason, String detail, String sensorId) {
        byte[] payload = message.payload == null ? new byte[0] : message.payload;
        byte[] kept = payload.length > MAX_PAYLOAD_BYTES ? Arrays.copyOf(payload, MAX_PAYLOAD_BYTES) : payload;
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
