package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.RuleUpdate;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The alert engine for {@code on: window} rules: each window aggregate of a sensor, in the order its windows close,
 * on the rule's statistic of its field. The event's time is the window's end. Rules change at runtime as for
 * {@link ReadingAlertFunction} ({@link RuntimeRules}; that operator reports the outcomes).
 */
public final class WindowAlertFunction
        extends KeyedBroadcastProcessFunction<String, SensorAggregate, RuleUpdate, AlertEvent> {
    private static final long serialVersionUID = 2L;
    private static final MapStateDescriptor<String, AlertTrack> TRACKS = new MapStateDescriptor<>("window-alert-tracks",
            Types.STRING, new AvroTypeInfo<>(AlertTrack.class));

    private final RuleBook book;
    private transient RuntimeRules<List<AlertRule>> rules;
    private transient MapState<String, AlertTrack> tracks;
    private transient AlertOutput output;

    public WindowAlertFunction(RuleBook book) {
        this.book = book;
    }

    /** Whether any of {@code rules} is evaluated on windows. */
    public static boolean needed(List<AlertRule> rules) {
        return rules.stream().anyMatch(rule -> rule.input == RuleInput.WINDOW);
    }

    @Override
    public void open(OpenContext openContext) {
        rules = new RuntimeRules<>(book, all -> all.stream().filter(rule -> rule.input == RuleInput.WINDOW).toList());
        tracks = getRuntimeContext().getMapState(TRACKS);
        output = new AlertOutput(getRuntimeContext());
    }

    @Override
    public void processElement(SensorAggregate aggregate, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        for (AlertRule rule : rules.get(ctx.getBroadcastState(RuleBook.TOPIC).immutableEntries())) {
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
                output.emit(rule, AlertEvents.of(rule, change, aggregate.getSensorId(), aggregate.getMeasurement(),
                        aggregate.getTags(), value, time), out, ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES),
                        ctx.currentProcessingTime());
            }
        }
    }

    @Override
    public void processBroadcastElement(RuleUpdate update, Context ctx, Collector<AlertEvent> out) throws Exception {
        if (update.getCommand() != null) {
            AlertCommands.apply(update, rules, output, false, ctx, out); // the reading alerts answer
            return;
        }
        RuntimeRules.Change change = rules.apply(update, ctx.getBroadcastState(RuleBook.TOPIC));
        if (change == null || change.rejected()) {
            return; // the placeholder of an empty rules stream, or rejected: the reading alert operator reports it
        }
        if (change.after() == null || change.after().input != RuleInput.WINDOW) {
            // no longer a window rule here: drop its state (a raised window alert clears with its next window otherwise)
            RuleRetirement.drop(update.getName(), TRACKS, ctx);
        }
    }
}
