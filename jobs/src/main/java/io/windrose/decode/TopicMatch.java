package io.windrose.decode;

import java.util.Map;

/**
 * What a route learned from a message's topic and arrival.
 *
 * @param sensorId the {sensor} capture, or null to read it from the payload
 * @param field the {field} capture (format value), or null
 * @param tags the other captures
 */
public record TopicMatch(String topic, long receivedAt, String measurement, String sensorId, String field,
        Map<String, String> tags) {}
