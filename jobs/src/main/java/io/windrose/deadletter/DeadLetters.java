package io.windrose.deadletter;

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
        return of(reason, detail, message.topic, sensorId, message.receivedAt, message.payload, maxPayloadBytes);
    }

    /** @param where the MQTT topic, or for a sink the place that refused it (e.g. "influxdb http://… bucket b") */
    public static DeadLetter of(DeadLetterReason reason, String detail, String where, String sensorId, long receivedAt,
            byte[] payload, int maxPayloadBytes) {
        byte[] all = payload == null ? new byte[0] : payload;
        byte[] kept = all.length > maxPayloadBytes ? Arrays.copyOf(all, maxPayloadBytes) : all;
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setDetail(detail == null ? "" : detail)
                .setTopic(where)
                .setSensorId(sensorId)
                .setReceivedAt(Instant.ofEpochMilli(receivedAt))
                .setPayload(ByteBuffer.wrap(kept))
                .setPayloadSize(all.length)
                .build();
    }
}
