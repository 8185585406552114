package io.windrose.alert;

import io.windrose.action.ActionCalls;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Where a live alert operator's events go: counted ({@code windrose.alertsRaised}, {@code windrose.alertsCleared}),
 * collected, and the rule's actions called (side outputs, see {@link ActionCalls}) — unless the alert is acknowledged
 * or its rule shelved ({@link AlertCommands}): then its raises call none ({@code windrose.alertActionsSkipped}), and its
 * clear calls them only if one of its raises did, so that what a raise turned on is turned off.
 * <p>
 * It keeps each sensor's raised alerts (keyed state {@link #RAISED}: the latest RAISED event per rule, removed when it
 * clears): an ack marks it and publishes it again; the copy's {@code shelved} there means "no raise of this alert has
 * called its actions yet" (not, as on the events, "shelved at this change").
 */
final class AlertOutput {
    /** A sensor's raised alerts: rule name to its latest RAISED event. */
    static final MapStateDescriptor<String, AlertEvent> RAISED = new MapStateDescriptor<>("raised-alerts", Types.STRING,
            new AvroTypeInfo<>(AlertEvent.class));

    /** Where an alert event goes (e.g. a bound {@link #emit}). */
    interface Emitter {
        void emit(AlertRule rule, AlertEvent event) throws Exception;
    }

    private final Counter raisedCount;
    private final Counter cleared;
    private final Counter skipped;
    private final Counter acks;
    private final MapState<String, AlertEvent> raised;

    AlertOutput(RuntimeContext context) {
        raisedCount = context.getMetricGroup().addGroup("windrose").counter("alertsRaised");
        cleared = context.getMetricGroup().addGroup("windrose").counter("alertsCleared");
        skipped = context.getMetricGroup().addGroup("windrose").counter("alertActionsSkipped");
        acks = context.getMetricGroup().addGroup("windrose").counter("alertsAcked");
        raised = context.getMapState(RAISED);
    }

    /** Counts an acknowledged alert ({@code windrose.alertsAcked}). */
    void acked() {
        acks.inc();
    }

    /**
     * Emits {@code event} of {@code rule} for the current sensor, marked {@code acked} and {@code shelved} as the
     * sensor's alert is at wall-clock time {@code now} given {@code shelves}.
     */
    void emit(AlertRule rule, AlertEvent event, Collector<AlertEvent> out, BiConsumer<OutputTag<Object>, Object> side,
            ReadOnlyBroadcastState<String, Long> shelves, long now) throws Exception {
        AlertEvent kept = raised.get(rule.name);
        boolean acked = kept != null && kept.getAcked();
        boolean shelved = AlertCommands.shelved(shelves, rule.name, event.getSensorId(), now);
        event.setAcked(acked);
        event.setAckComment(acked ? kept.getAckComment() : null);
        event.setShelved(shelved);
        boolean actions;
        if (event.getState() == AlertState.RAISED) {
            actions = !acked && !shelved;
            // quiet so far: none of its raises has called the actions (a level change with nothing kept: from before
            // this state existed, when every raise called them)
            boolean quiet = kept != null ? kept.getShelved() : event.getPreviousLevel() == null;
            AlertEvent copy = AlertEvent.newBuilder(event).build();
            copy.setShelved(quiet && !actions);
            raised.put(rule.name, copy);
            raisedCount.inc();
        } else {
            actions = kept == null || !kept.getShelved();
            raised.remove(rule.name);
            cleared.inc();
        }
        out.collect(event);
        if (actions) {
            ActionCalls.emit(rule.actions, event, AlertEvents.values(rule, event), side);
        } else if (!rule.actions.isEmpty()) {
            skipped.inc();
        }
    }

    /**
     * Acknowledges the raised alert of {@code rule} in {@code raised} (a sensor's {@link #RAISED}), if any: marks it and
     * emits its latest RAISED event again with {@code acked} (no actions); the event, or null when none is raised.
     */
    static AlertEvent ack(MapState<String, AlertEvent> raised, String rule, String comment, Collector<AlertEvent> out,
            ReadOnlyBroadcastState<String, Long> shelves, long now) throws Exception {
        AlertEvent kept = raised.get(rule);
        if (kept == null) {
            return null;
        }
        kept.setAcked(true);
        kept.setAckComment(comment);
        raised.put(rule, kept);
        AlertEvent event = AlertEvent.newBuilder(kept).build();
        event.setShelved(AlertCommands.shelved(shelves, rule, event.getSensorId(), now));
        out.collect(event);
        return event;
    }
}
