package io.windrose.alert;

import io.windrose.action.ActionCalls;
import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.config.ConfigException;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alert engine for {@code on: window} rules: each window aggregate of a sensor, in the order its windows close,
 * on the rule's statistic of its field. The event's time is the window's end. Rules change at runtime as for
 * {@link ReadingAlertFunction} (that operator reports the outcomes).
 */
public final class WindowAlertFunction
        extends KeyedBroadcastProcessFunction<String, SensorAggregate, RuleUpdate, AlertEvent> {
    private static final long serialVersionUID = 2L;
    private static final MapStateDescriptor<String, AlertTrack> TRACKS = new MapStateDescriptor<>("window-alert-tracks",
            Types.STRING, new AvroTypeInfo<>(AlertTrack.class));

    private final RuleBook book;
    private transient List<AlertRule> rules;
    private transient MapState<String, AlertTrack> tracks;
    private transient Counter raised;
    private transient Counter cleared;

    public WindowAlertFunction(RuleBook book) {
        this.book = book;
    }

    /** Whether any of {@code rules} is evaluated on windows. */
    public static boolean needed(List<AlertRule> rules) {
        return rules.stream().anyMatch(rule -> rule.input == RuleInput.WINDOW);
    }

    @Override
    public void open(OpenContext openContext) {
        tracks = getRuntimeContext().getMapState(TRACKS);
        raised = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsRaised");
        cleared = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsCleared");
    }

    private void rules(Iterable<java.util.Map.Entry<String, String>> topic) {
        if (rules == null) {
            rules = book.effective(topic).stream().filter(rule -> rule.input == RuleInput.WINDOW).toList();
        }
    }

    @Override
    public void processElement(SensorAggregate aggregate, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        rules(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries());
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
                AlertEvent event = AlertEvents.of(rule, change, aggregate.getSensorId(), aggregate.getMeasurement(),
                        aggregate.getTags(), value, time);
                out.collect(event);
                ActionCalls.emit(rule.actions, event, AlertEvents.values(rule, event), ctx::output);
            }
        }
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (update.getName().isEmpty()) {
            return; // the placeholder of an empty rules stream (runtime rules off)
        }
        BroadcastState<String, String> topic = ctx.getBroadcastState(RuleBook.TOPIC);
        try {
            if (update.getJson() == null) {
                topic.put(update.getName(), RuleBook.DELETED);
            } else {
                RuleBook.check(update);
                topic.put(update.getName(), update.getJson());
            }
        } catch (ConfigException e) {
            return; // the reading alert operator reports it
        }
        rules = null;
        rules(topic.immutableEntries());
        if (rules.stream().noneMatch(rule -> rule.name.equals(update.getName()))) {
            // no longer a window rule here: drop its state (a raised window alert clears with its next window otherwise)
            ctx.applyToKeyedState(TRACKS, (key, state) -> state.remove(update.getName()));
        }
    }
}
