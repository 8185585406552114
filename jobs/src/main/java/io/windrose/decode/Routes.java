package io.windrose.decode;

import io.windrose.config.PipelineConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/** Builds the routes of a (validated) pipeline file. */
public final class Routes {
    private Routes() {}

    public static List<Route> of(PipelineConfig config) {
        List<Route> routes = new ArrayList<>();
        for (PipelineConfig.Route r : config.routes) {
            routes.add(of(r));
        }
        return routes;
    }

    /** One route; throws IllegalArgumentException on a value the validator should have caught. */
    public static Route of(PipelineConfig.Route r) {
        TopicTemplate template = r.topicTemplate == null ? null : TopicTemplate.parse(r.topicTemplate);
        String measurement = r.measurement == null ? r.name : r.measurement;
        PayloadDecoder decoder = switch (r.format) {
            case "json" -> new JsonPayloadDecoder(treeMapping(r));
            case "avro" -> new AvroPayloadDecoder("single-object".equals(r.avro.encoding), schemas(r), treeMapping(r));
            case "value" -> new ValuePayloadDecoder(r.valueField, r.fields.booleans);
            default -> throw new IllegalArgumentException("unknown format '" + r.format + "'");
        };
        return new Route(r.name, measurement, r.topics, template, decoder, "value".equals(r.format));
    }

    /** How a route reads its messages, in a line for the start-up log. */
    public static String describe(PipelineConfig.Route r) {
        PipelineConfig.Fields f = r.fields;
        TopicTemplate template = r.topicTemplate == null ? null : TopicTemplate.parse(r.topicTemplate);
        boolean sensorInTopic = template != null && template.hasCapture(Route.SENSOR);
        TimestampFormat time = timestampFormat(r);
        StringBuilder line = new StringBuilder("route ").append(r.name).append(": topics ").append(r.topics)
                .append(template == null ? "" : " template " + template).append(", format ").append(r.format)
                .append("value".equals(r.format) ? "" : "avro".equals(r.format) ? " (" + r.avro.encoding + ")" : "")
                .append(", measurement ").append(r.measurement == null ? r.name : r.measurement)
                .append(", sensor id from ").append(sensorInTopic ? "{sensor}" : "payload '" + r.sensorPath + "'")
                .append(", event time ").append(time == TimestampFormat.ARRIVAL ? "= arrival"
                        : "from '" + r.timestamp.path + "' as " + time.key()
                                + (time == TimestampFormat.ISO_8601 ? " (zone " + r.timestamp.zone + ")" : ""));
        if (!"value".equals(r.format)) {
            line.append(", fields from ").append(f.paths.isEmpty() ? "the whole payload" : f.paths.toString());
            if (!f.include.isEmpty()) {
                line.append(", include ").append(f.include);
            }
            if (!f.exclude.isEmpty()) {
                line.append(", exclude ").append(f.exclude);
            }
            if (!f.rename.isEmpty()) {
                line.append(", rename ").append(f.rename);
            }
            line.append(f.numericStrings ? ", numeric strings" : "").append(f.booleans ? ", booleans" : "");
        }
        return line.toString();
    }

    /** The timestamp format a route uses: as configured, else arrival for format value and epoch-ms otherwise. */
    public static TimestampFormat timestampFormat(PipelineConfig.Route r) {
        if (r.timestamp.format != null) {
            return TimestampFormat.parse(r.timestamp.format);
        }
        return "value".equals(r.format) ? TimestampFormat.ARRIVAL : TimestampFormat.EPOCH_MS;
    }

    /** The writer schemas an avro route decodes with. */
    public static List<Schema> schemas(PipelineConfig.Route r) {
        List<Schema> schemas = new ArrayList<>(AvroSchemas.load(r.avro.schemas));
        if ("single-object".equals(r.avro.encoding)) {
            schemas.addAll(AvroSchemas.windrose());
        }
        return schemas;
    }

    private static TreeMapping treeMapping(PipelineConfig.Route r) {
        PipelineConfig.Fields f = r.fields;
        PayloadPath sensorPath = PayloadPath.parse(r.sensorPath);
        TimestampMapping timestamp = new TimestampMapping(PayloadPath.parse(r.timestamp.path), timestampFormat(r),
                r.timestamp.zone);
        Set<String> reserved = new HashSet<>();
        reserved.add(sensorPath.flatName(f.separator));
        if (timestamp.path() != null) {
            reserved.add(timestamp.path().flatName(f.separator));
        }
        List<PayloadPath> paths = f.paths.stream().map(PayloadPath::parse).toList();
        return new TreeMapping(sensorPath, timestamp, new FieldMapping(paths, f.separator, f.include, f.exclude,
                f.rename, f.numericStrings, f.booleans, reserved));
    }
}
