package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

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
        String sensorId = match.sensorId() != null ? match.sensorId() : sensorIdOf(sensorPath.resolve(root));
        long eventTime = timestamp.eventTime(root, match.receivedAt());
        return reading(match, sensorId, eventTime, fields.fields(root));
    }

    /** The reading of a payload whose sensor id, event time and fields are known. */
    static SensorReading reading(TopicMatch match, String sensorId, long eventTime, Map<String, Double> values)
            throws DecodeException {
        if (values.isEmpty()) {
            throw new DecodeException(DeadLetterReason.NO_FIELDS, "no numeric field (after include/exclude)");
        }
        // by constructor: Avro's builder checks each value against its schema field on every set and build
        return new SensorReading(Objects.requireNonNull(match.measurement()), Objects.requireNonNull(sensorId),
                Objects.requireNonNull(match.tags()), Instant.ofEpochMilli(eventTime), values,
                Objects.requireNonNull(match.topic()));
    }

    PayloadPath sensorPath() {
        return sensorPath;
    }

    TimestampMapping timestamp() {
        return timestamp;
    }

    FieldMapping fields() {
        return fields;
    }

    /** The sensor id in the node at the sensor path (a missing node when there is none). */
    String sensorIdOf(JsonNode sensor) throws DecodeException {
        if (!(sensor.isTextual() || sensor.isIntegralNumber()) || sensor.asText().isBlank()) {
            throw new DecodeException(DeadLetterReason.NO_SENSOR, "no sensor id: the topic template has no {sensor} and "
                    + "the payload has no string or integer at '" + sensorPath + "'");
        }
        return sensor.asText();
    }
}
