package io.windrose.decode;

import io.windrose.flink.connector.mqtt.common.TopicFilter;
import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One configured route: which topics it takes and how their payloads become readings. */
public final class Route implements Serializable {
    private static final long serialVersionUID = 2L;
    static final String SENSOR = "sensor";
    static final String FIELD = "field";

    private final String name;
    private final String measurement;
    private final List<String> topicFilters;
    private final TopicTemplate template; // may be null: then only the filters decide
    private final PayloadDecoder decoder;
    private final boolean fieldFromTopic;
    private final boolean templateFilterOnly;
    private transient List<TopicFilter> filters; // parsed once per task

    /** @param fieldFromTopic whether a {field} capture names the field (format value) rather than being a tag */
    public Route(String name, String measurement, List<String> topicFilters, TopicTemplate template,
            PayloadDecoder decoder, boolean fieldFromTopic) {
        this.name = name;
        this.measurement = measurement;
        this.topicFilters = List.copyOf(topicFilters);
        this.template = template;
        this.decoder = decoder;
        this.fieldFromTopic = fieldFromTopic;
        // the usual case: the filters are the template's own, so matching the template alone decides
        this.templateFilterOnly = template != null && this.topicFilters.equals(List.of(template.toFilter()));
    }

    /** Whether its messages are Sparkplug B, decoded by a stage with state (no decoder here). */
    public boolean sparkplug() {
        return decoder == null;
    }

    public String name() {
        return name;
    }

    /** The measurement the route's readings belong to. */
    public String measurement() {
        return measurement;
    }

    public List<String> topicFilters() {
        return topicFilters;
    }

    /** The captures of the topic when this route takes it. */
    public Optional<Map<String, String>> accept(String topic) {
        if (template != null && templateFilterOnly) {
            return template.match(topic);
        }
        if (filters == null) {
            filters = topicFilters.stream().map(TopicFilter::of).toList();
        }
        for (TopicFilter filter : filters) {
            if (filter.matches(topic)) {
                return template == null ? Optional.of(Map.of()) : template.match(topic);
            }
        }
        return Optional.empty();
    }

    public SensorReading decode(byte[] payload, String topic, long receivedAt, Map<String, String> captured)
            throws DecodeException {
        String sensor = captured.get(SENSOR);
        String field = fieldFromTopic ? captured.get(FIELD) : null;
        Map<String, String> tags = captured;
        if (sensor != null || field != null) {
            tags = new HashMap<>(captured);
            tags.remove(SENSOR);
            if (field != null) {
                tags.remove(FIELD);
            }
        }
        return decoder.decode(payload, new TopicMatch(topic, receivedAt, measurement, sensor, field, tags));
    }
}
