package io.windrose.alert;

import io.windrose.action.ActionCalls;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Where a live alert operator's events go: counted ({@code windrose.alertsRaised}, {@code windrose.alertsCleared}),
 * collected, and the rule's actions called (side outputs, see {@link ActionCalls}).
 */
final class AlertOutput {
    private final Counter raised;
    private final Counter cleared;

    AlertOutput(RuntimeContext context) {
        raised = context.getMetricGroup().addGroup("windrose").counter("alertsRaised");
        cleared = context.getMetricGroup().addGroup("windrose").counter("alertsCleared");
    }

    void emit(AlertRule rule, AlertEvent event, Collector<AlertEvent> out, BiConsumer<OutputTag<Object>, Object> side) {
        (event.getState() == AlertState.RAISED ? raised : cleared).inc();
        out.collect(event);
        ActionCalls.emit(rule.actions, event, AlertEvents.values(rule, event), side);
    }
}
