package io.windrose.sink;

import static io.windrose.sink.LineProtocolText.safe;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.ExtraFieldStats;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.window.Stat;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The InfluxDB data contract. Aggregates: measurement = route's measurement (a tier's: window.tier-measurement), tags
 * {@code sensor}, topic-template tags and {@code window}, fields {@code <field>_<stat>} for each statistic of
 * {@code window.stats} (by default {@code _count|_min|_max|_mean|_sum|_last}; a stdev of one reading is left out),
 * session windows also {@code window_end} (epoch milliseconds), time = window start.
 * Alerts: measurement {@code alerts}, tags {@code sensor}, {@code rule}, {@code level}, fields {@code state},
 * {@code value}, {@code threshold}, {@code kind}, {@code flapping}, {@code score}, {@code previous_level}, {@code message},
 * {@code acked} and {@code ack_comment} (an ack writes the alert's point again with them), {@code shelved} when present, time = the reading's event time (a deadman alert's: when the silence was detected). Names and tag values pass through
 * {@link LineProtocolText#safe} so that no input can add tags, fields or points.
 */
public final class InfluxPoints {
    public static final String ALERTS_MEASUREMENT = "alerts";
    private static final String SESSION = "session";

    private InfluxPoints() {}

    /** Aggregates with the fields of these statistics. */
    public static PointMapper<SensorAggregate> aggregates(Set<Stat> stats) {
        Set<Stat> chosen = EnumSet.copyOf(stats);
        return new PointMapper<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public LinePoint toPoint(SensorAggregate aggregate) {
                return aggregate(aggregate, chosen);
            }

            @Override
            public PointDeletion deletion(SensorAggregate aggregate) {
                return aggregate.getRetracted() ? InfluxPoints.deletion(aggregate) : null;
            }
        };
    }

    /** The point a retracted window had written: its series and its start. */
    static PointDeletion deletion(SensorAggregate aggregate) {
        Map<String, String> tags = new TreeMap<>();
        aggregate.getTags().forEach((key, value) -> tags.put(safe(key), safe(value)));
        tags.put("sensor", safe(aggregate.getSensorId()));
        tags.put("window", aggregate.getWindow());
        return new PointDeletion(safe(aggregate.getMeasurement()), tags, aggregate.getWindowStart().toEpochMilli());
    }

    public static PointMapper<AlertEvent> alerts() {
        return InfluxPoints::alert;
    }

    /** As {@link #alerts()}, to measurement {@code measurement} instead of {@code alerts} (a replay beside them). */
    public static PointMapper<AlertEvent> alerts(String measurement) {
        return alert -> alert(alert, measurement);
    }

    static LinePoint aggregate(SensorAggregate aggregate, Set<Stat> stats) {
        LinePoint point = LinePoint.measurement(safe(aggregate.getMeasurement()));
        aggregate.getTags().forEach((key, value) -> point.addTag(safe(key), safe(value)));
        point.addTag("sensor", safe(aggregate.getSensorId()))
                .addTag("window", aggregate.getWindow())
                .time(aggregate.getWindowStart().toEpochMilli());
        for (Map.Entry<String, FieldStats> field : new TreeMap<>(aggregate.getFields()).entrySet()) {
            String name = safe(field.getKey());
            FieldStats basic = field.getValue();
            ExtraFieldStats extra = aggregate.getExtraStats().get(field.getKey());
            for (Stat stat : stats) {
                Number value = switch (stat) {
                    case COUNT -> basic.getCount();
                    case MIN -> basic.getMin();
                    case MAX -> basic.getMax();
                    case MEAN -> basic.getMean();
                    case SUM -> basic.getSum();
                    case LAST -> basic.getLast();
                    case FIRST -> extra == null ? null : extra.getFirst();
                    case STDEV -> extra == null ? null : extra.getStdev();
                    case P50 -> extra == null ? null : extra.getP50();
                    case P90 -> extra == null ? null : extra.getP90();
                    case P95 -> extra == null ? null : extra.getP95();
                    case P99 -> extra == null ? null : extra.getP99();
                };
                if (value != null) {
                    point.addField(name + "_" + stat, value);
                }
            }
        }
        if (aggregate.getWindow().equals(SESSION)) {
            point.addField("window_end", aggregate.getWindowEnd().toEpochMilli());
        }
        return point;
    }

    static LinePoint alert(AlertEvent alert) {
        return alert(alert, ALERTS_MEASUREMENT);
    }

    private static LinePoint alert(AlertEvent alert, String measurement) {
        LinePoint point = LinePoint.measurement(measurement)
                .addTag("sensor", safe(alert.getSensorId()))
                .addTag("rule", safe(alert.getRule()))
                .addTag("level", safe(alert.getLevel()))
                .addField("state", alert.getState().name())
                .addField("value", alert.getValue())
                .addField("threshold", alert.getThreshold())
                .addField("kind", alert.getKind())
                .addField("flapping", alert.getFlapping())
                .time(alert.getEventTime().toEpochMilli());
        if (alert.getAcked()) {
            point.addField("acked", true);
            if (alert.getAckComment() != null) {
                point.addField("ack_comment", safe(alert.getAckComment().replaceAll("[\\r\\n]+", " ")));
            }
        }
        if (alert.getShelved()) {
            point.addField("shelved", true);
        }
        if (alert.getScore() != null) {
            point.addField("score", alert.getScore());
        }
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
