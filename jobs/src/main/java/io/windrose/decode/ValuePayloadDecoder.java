package io.windrose.decode;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.schema.SensorReading;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * Format {@code value}: the payload is one number as text ({@code 21.5}), as Shelly, Home Assistant's statestream and
 * many firmwares publish per topic. The field is named by the topic's {field} capture or the route's value-field;
 * the event time is the arrival time. With booleans on, true/false/on/off count as 1/0.
 */
public final class ValuePayloadDecoder implements PayloadDecoder {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TEXT = 64;

    private final String valueField;
    private final boolean booleans;

    public ValuePayloadDecoder(String valueField, boolean booleans) {
        this.valueField = valueField;
        this.booleans = booleans;
    }

    @Override
    public SensorReading decode(byte[] payload, TopicMatch match) throws DecodeException {
        if (payload.length == 0) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "empty payload");
        }
        if (payload.length > MAX_TEXT) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "expected one number, got " + payload.length + " bytes");
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        Double value = NumericValues.text(text, true, booleans);
        if (value == null) {
            throw new DecodeException(DeadLetterReason.NO_FIELDS, "payload '" + text.strip() + "' is not a number");
        }
        String field = match.field() != null ? match.field() : valueField;
        if (!Double.isFinite(value)) {
            throw new DecodeException(DeadLetterReason.NON_FINITE, "field '" + field + "' is " + text.strip());
        }
        if (match.sensorId() == null) {
            throw new DecodeException(DeadLetterReason.NO_SENSOR, "format value needs {sensor} in the topic template");
        }
        return SensorReading.newBuilder()
                .setMeasurement(match.measurement())
                .setSensorId(match.sensorId())
                .setTags(match.tags())
                .setEventTime(Instant.ofEpochMilli(match.receivedAt()))
                .setFields(Map.of(field, value))
                .setTopic(match.topic())
                .build();
    }
}
