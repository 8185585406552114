package io.windrose.decode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builds the routes of a (validated) pipeline file. */
public final class Routes {
    private Routes() {}

    public static List<Route> of(List<RouteConfig> configs) {
        List<Route> routes = new ArrayList<>();
        for (RouteConfig r : configs) {
            routes.add(of(r));
        }
        return routes;
    }

    /** One route; throws IllegalArgumentException on a value validation should have caught. */
    public static Route of(RouteConfig r) {
        PayloadDecoder decoder = switch (r.format) {
            case JSON -> new JsonPayloadDecoder(treeMapping(r));
            case AVRO -> new AvroPayloadDecoder(r.avro.encoding == AvroEncoding.SINGLE_OBJECT, r.avroSchemas(), treeMapping(r));
            case VALUE -> new ValuePayloadDecoder(r.valueField, r.fields.booleans);
            case SPARKPLUG_B -> null; // decoded with the edge node's state, by SparkplugFunction
        };
        return new Route(r.name, r.measurementName(), r.topicFilters(), r.template(), decoder, r.format == PayloadFormat.VALUE);
    }

    /** How a route reads its messages, in a line for the start-up log. */
    public static String describe(RouteConfig r) {
        RouteConfig.Fields f = r.fields;
        TopicTemplate template = r.template();
        boolean sensorInTopic = template != null && template.hasCapture(Route.SENSOR);
        TimestampFormat time = r.timestampFormat();
        StringBuilder line = new StringBuilder("route ").append(r.name).append(": topics ").append(r.topicFilters())
                .append(template == null ? "" : " template " + template).append(", format ").append(r.format)
                .append(r.format == PayloadFormat.AVRO ? " (" + r.avro.encoding + ")" : "")
                .append(", measurement ").append(r.measurementName())
                .append(", sensor id from ").append(sensorInTopic ? "{sensor}" : "payload '" + r.sensorPath + "'")
                .append(", event time ").append(time == TimestampFormat.ARRIVAL ? "= arrival"
                        : "from '" + r.timestamp.path + "' as " + time
                                + (time == TimestampFormat.ISO_8601 ? " (zone " + r.timestamp.zone + ")" : ""));
        if (r.format != PayloadFormat.VALUE) {
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

    static TreeMapping treeMapping(RouteConfig r) {
        RouteConfig.Fields f = r.fields;
        PayloadPath sensorPath = PayloadPath.parse(r.sensorPath);
        TimestampMapping timestamp = new TimestampMapping(PayloadPath.parse(r.timestamp.path), r.timestampFormat(),
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
