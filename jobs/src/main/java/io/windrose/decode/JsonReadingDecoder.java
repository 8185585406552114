package io.windrose.decode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Decodes a JSON object such as {@code {"sensor":"s-1","ts":1764144000000,"temperature":21.4}}: {@code ts} (epoch
 * milliseconds) is the event time, every other numeric member is a field, other members are ignored.
 */
public final class JsonReadingDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String sensorField;
    private final String timestampField;

    public JsonReadingDecoder(String sensorField, String timestampField) {
        this.sensorField = sensorField;
        this.timestampField = timestampField;
    }

    /**
     * @param sensorFromTopic the sensor id captured from the topic, or null to take it from the payload
     */
    public SensorReading decode(byte[] payload, String measurement, String sensorFromTopic, Map<String, String> tags,
            String topic) throws DecodeException {
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "expected a JSON object, got "
                    + (root == null ? "an empty payload" : root.getNodeType().toString().toLowerCase()));
        }
        String sensorId = sensorFromTopic;
        if (sensorId == null) {
            JsonNode sensor = root.get(sensorField);
            if (sensor == null || !(sensor.isTextual() || sensor.isIntegralNumber()) || sensor.asText().isEmpty()) {
                throw new DecodeException(DeadLetterReason.NO_SENSOR,
                        "no sensor id: the topic template has no {sensor} and the payload has no '" + sensorField + "' string");
            }
            sensorId = sensor.asText();
        }
        JsonNode ts = root.get(timestampField);
        if (ts == null || !ts.isIntegralNumber() || !ts.canConvertToLong()) {
            throw new DecodeException(DeadLetterReason.BAD_TIMESTAMP,
                    "expected '" + timestampField + "' as epoch milliseconds (an integer), got " + (ts == null ? "nothing" : ts));
        }
        Map<String, Double> fields = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> members = root.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = member.getKey();
            if (name.equals(timestampField) || name.equals(sensorField) || !member.getValue().isNumber()) {
                continue;
            }
            double value = member.getValue().asDouble();
            if (!Double.isFinite(value)) {
                throw new DecodeException(DeadLetterReason.NON_FINITE, "field '" + name + "' is not a finite number");
            }
            fields.put(name, value);
        }
        if (fields.isEmpty()) {
            throw new DecodeException(DeadLetterReason.NO_FIELDS, "no numeric field besides '" + timestampField + "'");
        }
        return SensorReading.newBuilder()
                .setMeasurement(measurement)
                .setSensorId(sensorId)
                .setTags(tags)
                .setEventTime(Instant.ofEpochMilli(ts.longValue()))
                .setFields(fields)
                .setTopic(topic)
                .build();
    }
}
