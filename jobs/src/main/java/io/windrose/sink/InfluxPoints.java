package io.windrose.sink;

import static io.windrose.sink.LineProtocolText.safe;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.util.Map;
import java.util.TreeMap;

/**
 * The InfluxDB data contract. Aggregates: measurement = route's measurement, tags {@code sensor}, topic-template tags
 * and {@code window}, fields {@code <field>_count|_min|_max|_mean|_sum|_last}, time = window start.
 * Alerts: measurement {@code alerts}, tags {@code sensor}, {@code rule}, {@code level}, fields {@code state},
 * {@code value}, {@code threshold}, {@code kind}, {@code flapping}, {@code previous_level} and {@code message} when
 * present, time = the reading's event time (a deadman alert's: when the silence was detected). Names and tag values pass through
 * {@link LineProtocolText#safe} so that no input can add tags, fields or points.
 */
public final class InfluxPoints {
    public static final String ALERTS_MEASUREMENT = "alerts";

    private InfluxPoints() {}

    public static PointMapper<SensorAggregate> aggregates() {
        return InfluxPoints::aggregate;
    }

    public static PointMapper<AlertEvent> alerts() {
        return InfluxPoints::alert;
    }

    static Point aggregate(SensorAggregate aggregate) {
        Point point = Point.measurement(safe(aggregate.getMeasurement()));
        aggregate.getTags().forEach((key, value) -> point.addTag(safe(key), safe(value)));
        point.addTag("sensor", safe(aggregate.getSensorId()))
                .addTag("window", aggregate.getWindow())
                .time(aggregate.getWindowStart().toEpochMilli(), WritePrecision.MS);
        for (Map.Entry<String, FieldStats> field : new TreeMap<>(aggregate.getFields()).entrySet()) {
            String name = safe(field.getKey());
            FieldStats stats = field.getValue();
            point.addField(name + "_count", stats.getCount())
                    .addField(name + "_min", stats.getMin())
                    .addField(name + "_max", stats.getMax())
                    .addField(name + "_mean", stats.getMean())
                    .addField(name + "_sum", stats.getSum())
                    .addField(name + "_last", stats.getLast());
        }
        return point;
    }

    static Point alert(AlertEvent alert) {
        Point point = Point.measurement(ALERTS_MEASUREMENT)
                .addTag("sensor", safe(alert.getSensorId()))
                .addTag("rule", safe(alert.getRule()))
                .addTag("level", safe(alert.getLevel()))
                .addField("state", alert.getState().name())
                .addField("value", alert.getValue())
                .addField("threshold", alert.getThreshold())
                .addField("kind", alert.getKind())
                .addField("flapping", alert.getFlapping())
                .time(alert.getEventTime().toEpochMilli(), WritePrecision.MS);
        if (alert.getPreviousLevel() != null) {
            point.addField("previous_level", alert.getPreviousLevel());
        }
        if (alert.getMessage() != null) {
            // a template filled with tag values: one line, whatever those hold
            point.addField("message", safe(alert.getMessage().replaceAll("[\\r\\n]+", " ")));
        }
        return point;
    }
}
