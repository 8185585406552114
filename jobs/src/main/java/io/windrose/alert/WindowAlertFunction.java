package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alert engine for {@code on: window} rules: each window aggregate of a sensor, in the order its windows close,
 * on the rule's statistic of its field. The event's time is the window's end.
 */
public final class WindowAlertFunction extends KeyedProcessFunction<String, SensorAggregate, AlertEvent> {
    private static final long serialVersionUID = 1L;

    private final List<AlertRule> rules = new ArrayList<>();
    private transient MapState<String, AlertTrack> tracks;
    private transient Counter raised;
    private transient Counter cleared;

    public WindowAlertFunction(List<AlertRule> rules) {
        for (AlertRule rule : rules) {
            if (rule.input == RuleInput.WINDOW) {
                this.rules.add(rule);
            }
        }
    }

    /** Whether any of {@code rules} is evaluated on windows. */
    public static boolean needed(List<AlertRule> rules) {
        return rules.stream().anyMatch(rule -> rule.input == RuleInput.WINDOW);
    }

    @Override
    public void open(OpenContext openContext) {
        tracks = getRuntimeContext().getMapState(new MapStateDescriptor<>("window-alert-tracks", Types.STRING,
                new AvroTypeInfo<>(AlertTrack.class)));
        raised = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsRaised");
        cleared = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsCleared");
    }

    @Override
    public void processElement(SensorAggregate aggregate, Context ctx, Collector<AlertEvent> out) throws Exception {
        for (AlertRule rule : rules) {
            FieldStats stats = aggregate.getFields().get(rule.field);
            if (stats == null || !rule.scope.includes(aggregate.getSensorId(), aggregate.getTags())) {
                continue;
            }
            double value = rule.stat.of(stats);
            long time = aggregate.getWindowEnd().toEpochMilli();
            AlertTrack track = tracks.get(rule.name);
            if (track == null) {
                track = AlertTracker.fresh();
            }
            AlertTracker.Change change = AlertTracker.evaluate(rule, track, value, time);
            tracks.put(rule.name, track);
            if (change != null) {
                (change.state() == AlertState.RAISED ? raised : cleared).inc();
                out.collect(AlertEvents.of(rule, change, aggregate.getSensorId(), aggregate.getMeasurement(),
                        aggregate.getTags(), value, time));
            }
        }
    }
}
