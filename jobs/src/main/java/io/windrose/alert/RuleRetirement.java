package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.schema.AlertEvent;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A rule deleted, or replaced beyond recognition (see {@link RuntimeRules.Change#retires}), across every sensor of
 * the operator: its raised alerts are cleared and its state dropped.
 */
final class RuleRetirement {
    private RuleRetirement() {}

    /**
     * Clears {@code rule}'s raised alerts in {@code tracks} (one CLEARED event each, its actions called) and drops its
     * tracks. The keys are {@code measurement/sensor id}; either may hold a '/', so the measurement is the longest of
     * {@code measurements} the key starts with (a key two sensors could have built is one state for both anyway), else
     * what comes before the first '/'.
     */
    static <IN, R> void retire(AlertRule rule, MapStateDescriptor<String, AlertTrack> tracks,
            List<String> measurements, KeyedBroadcastProcessFunction<String, IN, R, AlertEvent>.Context ctx,
            Collector<AlertEvent> out, AlertOutput output) throws Exception {
        long now = ctx.currentProcessingTime();
        ctx.applyToKeyedState(tracks, (key, sensorTracks) -> {
            AlertTrack track = sensorTracks.get(rule.name);
            if (track == null) {
                return;
            }
            AlertTracker.Change change = AlertTracker.retire(rule, track);
            sensorTracks.remove(rule.name);
            if (change != null) {
                String measurement = measurement(key, measurements);
                AlertEvent event = AlertEvents.of(rule, change, key.substring(measurement.length() + 1), measurement,
                        Map.of(), Double.NaN, now);
                event.setMessage("rule " + rule.name + " was deleted or replaced: alert cleared");
                output.emit(rule, event, out, ctx::output, ctx.getBroadcastState(AlertCommands.SHELVES), now);
            }
        });
    }

    /** Drops {@code rule}'s tracks for every sensor (no event: a raised alert of it would clear with its next input). */
    static <IN, R, OUT> void drop(String rule, MapStateDescriptor<String, AlertTrack> tracks,
            KeyedBroadcastProcessFunction<String, IN, R, OUT>.Context ctx) throws Exception {
        ctx.applyToKeyedState(tracks, (key, state) -> state.remove(rule));
        // and what an ack marked: a rule of that name added later starts afresh
        ctx.applyToKeyedState(AlertOutput.RAISED, (key, state) -> state.remove(rule));
    }

    /** The measurement of a sensor key (see {@link #retire}). */
    static String measurement(String key, List<String> measurements) {
        String found = null;
        for (String measurement : measurements) {
            if (key.startsWith(measurement) && key.length() > measurement.length()
                    && key.charAt(measurement.length()) == '/'
                    && (found == null || measurement.length() > found.length())) {
                found = measurement;
            }
        }
        return found != null ? found : key.substring(0, key.indexOf('/'));
    }
}
