package io.windrose.alert;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.SensorReading;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Per sensor and rule, emits RAISED when a reading first satisfies the rule and CLEARED when a later reading no
 * longer does; nothing while the state is unchanged. The raised rules of each sensor live in keyed state.
 */
public final class ThresholdAlertFunction extends KeyedProcessFunction<String, SensorReading, AlertEvent> {
    private static final long serialVersionUID = 1L;

    private final List<ThresholdRule> rules;
    private transient MapState<String, Boolean> raised;
    private transient Counter raisedCount;
    private transient Counter clearedCount;

    public ThresholdAlertFunction(List<ThresholdRule> rules) {
        this.rules = List.copyOf(rules);
    }

    @Override
    public void open(OpenContext openContext) {
        raised = getRuntimeContext().getMapState(new MapStateDescriptor<>("raised-rules", Types.STRING, Types.BOOLEAN));
        raisedCount = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsRaised");
        clearedCount = getRuntimeContext().getMetricGroup().addGroup("windrose").counter("alertsCleared");
    }

    @Override
    public void processElement(SensorReading reading, Context ctx, Collector<AlertEvent> out) throws Exception {
        for (ThresholdRule rule : rules) {
            Double value = reading.getFields().get(rule.field());
            if (value == null) {
                continue;
            }
            boolean wasRaised = raised.contains(rule.name());
            boolean holds = rule.holds(value);
            if (holds && !wasRaised) {
                raised.put(rule.name(), Boolean.TRUE);
                raisedCount.inc();
                out.collect(event(reading, rule, AlertState.RAISED, value));
            } else if (!holds && wasRaised) {
                raised.remove(rule.name());
                clearedCount.inc();
                out.collect(event(reading, rule, AlertState.CLEARED, value));
            }
        }
    }

    private static AlertEvent event(SensorReading reading, ThresholdRule rule, AlertState state, double value) {
        return AlertEvent.newBuilder()
                .setSensorId(reading.getSensorId())
                .setMeasurement(reading.getMeasurement())
                .setTags(reading.getTags())
                .setRule(rule.name())
                .setLevel(rule.level())
                .setState(state)
                .setField(rule.field())
                .setValue(value)
                .setThreshold(rule.threshold())
                .setEventTime(reading.getEventTime())
                .build();
    }
}
