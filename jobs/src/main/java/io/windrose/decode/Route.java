package io.windrose.decode;

import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One configured route: which topics it takes and how their payloads become readings. */
public final class Route implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String SENSOR = "sensor";

    private final String name;
    private final String measurement;
    private final List<String> topicFilters;
    private final TopicTemplate template; // may be null: then only the filters decide
    private final JsonReadingDecoder decoder;
    private final boolean templateFilterOnly;

    public Route(String name, String measurement, List<String> topicFilters, TopicTemplate template,
            JsonReadingDecoder decoder) {
        this.name = name;
        this.measurement = measurement;
        this.topicFilters = List.copyOf(topicFilters);
        this.template = template;
        this.decoder = decoder;
        // the usual case: the filters are the template's own, so matching the template alone decides
        this.templateFilterOnly = template != null && this.topicFilters.equals(List.of(template.toFilter()));
    }

    public String name() {
        return name;
    }

    public List<String> topicFilters() {
        return topicFilters;
    }

    /** The tags captured from the topic when this route takes it. */
    public Optional<Map<String, String>> accept(String topic) {
        if (template != null && templateFilterOnly) {
            return template.match(topic);
        }
        for (String filter : topicFilters) {
            if (TopicFilter.matches(filter, topic)) {
                return template == null ? Optional.of(Map.of()) : template.match(topic);
            }
        }
        return Optional.empty();
    }

    public SensorReading decode(byte[] payload, String topic, Map<String, String> captured) throws DecodeException {
        String sensorFromTopic = captured.get(SENSOR);
        Map<String, String> tags = captured;
        if (sensorFromTopic != null) {
            tags = new HashMap<>(captured);
            tags.remove(SENSOR);
        }
        return decoder.decode(payload, measurement, sensorFromTopic, tags, topic);
    }
}
