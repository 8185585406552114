package io.windrose.decode;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.RelativePath;
import io.windrose.flink.connector.mqtt.common.TopicFilter;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** One item of the {@code routes} list: which topics, which payload format, how to map a payload to a reading. */
public final class RouteConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 3L;

    public String name;
    /** MQTT topic filters; derived from topic-template ({name} → +, {name...} → #) when empty. */
    public List<String> topics = new ArrayList<>();
    /** Captures become tags; {sensor} is the sensor id, {field} the field name of format value. */
    public String topicTemplate;
    public PayloadFormat format = PayloadFormat.JSON;
    /** InfluxDB measurement; the route name when absent. */
    public String measurement;
    /** Payload path (a.b.c) of the sensor id when the template has no {sensor}. */
    public String sensorPath = "sensor";
    /** Format value: the field name when the template has no {field}. */
    public String valueField = "value";
    public Fields fields = new Fields();
    public Timestamp timestamp = new Timestamp();
    public Avro avro = new Avro();
    public Sparkplug sparkplug = new Sparkplug();

    /** Which payload values become numeric fields, and their names. */
    public static final class Fields implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** Payload paths to take fields from (objects are flattened below them); the whole payload when empty. */
        public List<String> paths = new ArrayList<>();
        /** Joins the levels of nested objects in field names: {"a":{"b":1}} → a_b. */
        public String separator = "_";
        /** Field names to keep (before renaming; * matches any text); all when empty. */
        public List<String> include = new ArrayList<>();
        /** Field names to drop (before renaming; * matches any text). */
        public List<String> exclude = new ArrayList<>();
        /** Field name (before renaming) → name written. */
        public Map<String, String> rename = new LinkedHashMap<>();
        /** Accept numbers written as strings ("21.5"). */
        public boolean numericStrings = false;
        /** Take true/false as 1/0. */
        public boolean booleans = false;

        @Override
        public void validate(ConfigCheck check) {
            for (int i = 0; i < paths.size(); i++) {
                path(check, paths.get(i), "paths[" + i + "]");
            }
            check.require(separator != null, "separator", "expected a separator such as _ or .");
            for (int i = 0; i < include.size(); i++) {
                check.notBlank(include.get(i), "include[" + i + "]", "expected a field name or glob such as temp*");
            }
            for (int i = 0; i < exclude.size(); i++) {
                check.notBlank(exclude.get(i), "exclude[" + i + "]", "expected a field name or glob such as temp*");
            }
            rename.forEach((from, to) -> check.notBlank(to, "rename." + from, "expected the new field name"));
        }
    }

    /** Where a reading's event time comes from. */
    public static final class Timestamp implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Payload path (a.b.c) of the timestamp. */
        public String path = "ts";
        /** Absent: epoch-ms for json and avro, arrival for value (see {@link RouteConfig#timestampFormat()}). */
        public TimestampFormat format;
        /** Zone of ISO-8601 times written without an offset (local device time), e.g. Europe/Berlin. */
        public String zone = "UTC";
    }

    /** Sparkplug B payloads ({@code format: sparkplug-b}). */
    public static final class Sparkplug implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** A device's sensor id: {group}, {edge_node}, {device}. */
        public String sensorId = "{edge_node}/{device}";
        /** The sensor id of an edge node's own metrics: {group}, {edge_node}. */
        public String nodeSensorId = "{edge_node}";
        /** At most one rebirth request (NCMD Node Control/Rebirth) per edge node within this time. */
        public Duration rebirthInterval = Duration.ofSeconds(10);
        /** More devices on one edge node make its next DBIRTH a TOO_LARGE dead letter. */
        public int maxDevices = 1_000;
        /** More metrics in one message make it a TOO_LARGE dead letter. */
        public int maxMetrics = 10_000;
        /** After a sequence gap, decode with the birth in hand (still asking for a rebirth) instead of dead letters. */
        public boolean decodeAfterGap = false;

        @Override
        public void validate(ConfigCheck check) {
            check.require(sensorId != null && sensorId.contains("{edge_node}") && sensorId.contains("{device}"),
                    "sensor-id", "expected a template with {edge_node} and {device} (and {group} if you like), got '"
                            + sensorId + "'");
            check.require(nodeSensorId != null && nodeSensorId.contains("{edge_node}") && !nodeSensorId.contains("{device}"),
                    "node-sensor-id", "expected a template with {edge_node} and no {device}, got '" + nodeSensorId + "'");
            check.positive(rebirthInterval, "rebirth-interval");
            check.require(maxDevices >= 1, "max-devices", "expected a whole number of at least 1, got " + maxDevices);
            check.require(maxMetrics >= 1, "max-metrics", "expected a whole number of at least 1, got " + maxMetrics);
        }
    }

    /** Avro payloads. */
    public static final class Avro implements Serializable {
        private static final long serialVersionUID = 1L;
        public AvroEncoding encoding = AvroEncoding.SINGLE_OBJECT;
        /** .avsc files or directories of them: the writer schemas (single-object: besides Windrose's own). */
        @JsonDeserialize(contentUsing = RelativePath.class)
        public List<String> schemas = new ArrayList<>();
    }

    /** The configured filters, or the template's own. */
    public List<String> topicFilters() {
        return topics.isEmpty() && topicTemplate != null ? List.of(template().toFilter()) : List.copyOf(topics);
    }

    /** The parsed topic template, or null. */
    public TopicTemplate template() {
        return topicTemplate == null ? null : TopicTemplate.parse(topicTemplate);
    }

    /** The measurement the route writes: as configured, else the route name. */
    public String measurementName() {
        return measurement == null ? name : measurement;
    }

    /** The timestamp format: as configured, else arrival for format value and epoch-ms otherwise. */
    public TimestampFormat timestampFormat() {
        if (timestamp.format != null) {
            return timestamp.format;
        }
        return format == PayloadFormat.VALUE ? TimestampFormat.ARRIVAL : TimestampFormat.EPOCH_MS;
    }

    /** The writer schemas an avro route decodes with. */
    public List<Schema> avroSchemas() {
        List<Schema> schemas = new ArrayList<>(AvroSchemas.load(avro.schemas));
        if (avro.encoding == AvroEncoding.SINGLE_OBJECT) {
            schemas.addAll(AvroSchemas.windrose());
        }
        return schemas;
    }

    @Override
    public void validate(ConfigCheck check) {
        check.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "name",
                "expected a route name of letters, digits, '_', '-' or '.'");
        check.require(topicTemplate != null || !topics.isEmpty(), "",
                "expected a topic-template (e.g. sensors/{site}/{sensor}) or a list of topics");
        TopicTemplate template = topicTemplate == null ? null : check.parse("topic-template", this::template);
        for (int i = 0; i < topics.size(); i++) {
            String filter = topics.get(i);
            try {
                TopicFilter.of(filter);
            } catch (IllegalArgumentException e) {
                throw check.error("topics[" + i + "]", "expected an MQTT topic filter ('+' for one level, '#' last for"
                        + " the rest): " + e.getMessage());
            }
        }
        check.notBlank(measurementName(), "measurement", "expected a non-empty measurement name");
        path(check, sensorPath, "sensor-path");
        check.section("fields", fields);
        validateTimestamp(check.at("timestamp"));
        if (format == PayloadFormat.VALUE) {
            check.require(template != null && template.hasCapture(Route.SENSOR), "topic-template",
                    "format value needs the sensor id in the topic: a template with {sensor}, e.g. shellies/{sensor}/sensor/{field}");
            check.require(template.hasCapture(Route.FIELD) || (valueField != null && !valueField.isBlank()), "value-field",
                    "expected the field name for format value (or a {field} capture in the topic template)");
        }
        if (format == PayloadFormat.AVRO) {
            validateAvro(check.at("avro"));
        }
        if (format == PayloadFormat.SPARKPLUG_B) {
            check.require(topicTemplate == null, "topic-template", "a sparkplug-b route takes its sensor ids from the"
                    + " Sparkplug topic namespace: expected topics, e.g. ['spBv1.0/#'] or ['spBv1.0/plant-1/#']");
            for (int i = 0; i < topics.size(); i++) {
                check.require(topics.get(i).startsWith("spBv1.0/") || topics.get(i).equals("#"), "topics[" + i + "]",
                        "expected a filter in the Sparkplug B namespace, spBv1.0/…, got '" + topics.get(i) + "'");
            }
            check.section("sparkplug", sparkplug);
        }
    }

    private void validateTimestamp(ConfigCheck check) {
        TimestampFormat time = timestampFormat();
        if (time != TimestampFormat.ARRIVAL) {
            path(check, timestamp.path, "path");
        }
        check.require(format != PayloadFormat.VALUE || time == TimestampFormat.ARRIVAL, "format",
                "format value carries no timestamp: expected arrival, got '" + timestamp.format + "'");
        try {
            ZoneId.of(timestamp.zone);
        } catch (DateTimeException | NullPointerException e) {
            throw check.error("zone", "expected a time zone such as UTC or Europe/Berlin, got '" + timestamp.zone + "'");
        }
    }

    private void validateAvro(ConfigCheck check) {
        boolean binary = avro.encoding == AvroEncoding.BINARY;
        check.require(!binary || !avro.schemas.isEmpty(), "schemas",
                "binary Avro needs the writer schema: schemas: [path/to/Reading.avsc]");
        List<Schema> schemas = check.parse("schemas", this::avroSchemas);
        check.require(!binary || schemas.size() == 1, "schemas",
                "binary Avro needs exactly one writer record schema, found " + schemas.size());
    }

    private static void path(ConfigCheck check, String path, String key) {
        check.parse(key, () -> PayloadPath.parse(path));
    }
}
