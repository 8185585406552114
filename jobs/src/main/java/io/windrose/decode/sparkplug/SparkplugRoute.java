package io.windrose.decode.sparkplug;

import io.windrose.decode.FieldMapping;
import io.windrose.decode.Route;
import io.windrose.decode.RouteConfig;
import io.windrose.decode.Routes;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * A route of {@code format: sparkplug-b}: which topics it takes, its measurement, the sensor ids it makes of the
 * topic namespace ({@code sparkplug.sensor-id}, {@code sparkplug.node-sensor-id}), which metrics it keeps and under
 * what names ({@code fields.include}, {@code exclude}, {@code rename}), and its decoding limits.
 */
public final class SparkplugRoute implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Route route;
    private final String measurement;
    private final String sensorId;
    private final String nodeSensorId;
    private final FieldMapping fields;
    private final SparkplugDecoder decoder;

    SparkplugRoute(Route route, String measurement, String sensorId, String nodeSensorId, FieldMapping fields,
            SparkplugOptions options) {
        this.route = route;
        this.measurement = measurement;
        this.sensorId = sensorId;
        this.nodeSensorId = nodeSensorId;
        this.fields = fields;
        this.decoder = new SparkplugDecoder(options);
    }

    /** The route of {@code config} (format sparkplug-b), whose payloads are at most {@code maxPayloadBytes}. */
    public static SparkplugRoute of(RouteConfig config, int maxPayloadBytes) {
        RouteConfig.Sparkplug s = config.sparkplug;
        return new SparkplugRoute(Routes.of(config), config.measurementName(), s.sensorId, s.nodeSensorId,
                new FieldMapping(List.of(), config.fields.separator, config.fields.include, config.fields.exclude,
                        config.fields.rename, false, false, Set.of()),
                new SparkplugOptions(maxPayloadBytes, s.maxMetrics, s.maxDevices, s.rebirthInterval.toMillis(),
                        s.decodeAfterGap));
    }

    /** Every Sparkplug B route of {@code configs}. */
    public static List<SparkplugRoute> of(List<RouteConfig> configs, int maxPayloadBytes) {
        return configs.stream().filter(c -> Routes.of(c).sparkplug()).map(c -> of(c, maxPayloadBytes)).toList();
    }

    /** Whether this route takes {@code topic}. */
    boolean takes(String topic) {
        return route.accept(topic).isPresent();
    }

    String name() {
        return route.name();
    }

    String measurement() {
        return measurement;
    }

    SparkplugDecoder decoder() {
        return decoder;
    }

    /** The sensor id of a device's readings ({@code device} not null) or of the edge node's own. */
    String sensorId(String group, String edgeNode, String device) {
        String template = device == null ? nodeSensorId : sensorId;
        return template.replace("{group}", group).replace("{edge_node}", edgeNode)
                .replace("{device}", device == null ? "" : device);
    }

    /** The field a metric is written as, or null when the route does not keep it. */
    String field(String metric) {
        return fields.keeps(metric) ? fields.renamed(metric) : null;
    }
}
