package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Maps a parsed payload (JSON, or Avro seen as JSON) to a reading: sensor id, event time and fields. */
public final class TreeMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PayloadPath sensorPath;
    private final TimestampMapping timestamp;
    private final FieldMapping fields;

    public TreeMapping(PayloadPath sensorPath, TimestampMapping timestamp, FieldMapping fields) {
        this.sensorPath = sensorPath;
        this.timestamp = timestamp;
        this.fields = fields;
    }

    public SensorReading reading(JsonNode root, TopicMatch match) throws DecodeException {
        if (!root.isObject()) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "expected an object, got "
                    + root.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String sensorId = match.sensorId() != null ? match.sensorId() : sensorId(root);
        long eventTime = timestamp.eventTime(root, match.receivedAt());
        Map<String, Double> values = fields.fields(root);
        if (values.isEmpty()) {
            throw new DecodeException(DeadLetterReason.NO_FIELDS, "no numeric field (after include/exclude)");
        }
        return SensorReading.newBuilder()
                .setMeasurement(match.measurement())
                .setSensorId(sensorId)
                .setTags(match.tags())
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setFields(values)
                .setTopic(match.topic())
                .build();
    }

    private String sensorId(JsonNode root) throws DecodeException {
        JsonNode sensor = sensorPath.resolve(root);
        if (!(sensor.isTextual() || sensor.isIntegralNumber()) || sensor.asText().isBlank()) {
            throw new DecodeException(DeadLetterReason.NO_SENSOR, "no sensor id: the topic template has no {sensor} and "
                    + "the payload has no string or integer at '" + sensorPath + "'");
        }
        return sensor.asText();
    }
}
