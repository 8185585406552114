package io.windrose.history;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.time.Instant;
import java.util.Map;

/** Alert transitions written briefly, for the backtest's report and command tests. */
final class BacktestEvents {
    private BacktestEvents() {}

    static final long MIN = 60_000;

    /** A first raise at {@code minute}. */
    static AlertEvent raised(String rule, String sensor, String level, long minute, double value) {
        return event(rule, sensor, level, null, AlertState.RAISED, minute, value, false);
    }

    /** A level change while raised. */
    static AlertEvent changed(String rule, String sensor, String from, String to, long minute, double value) {
        return event(rule, sensor, to, from, AlertState.RAISED, minute, value, false);
    }

    static AlertEvent cleared(String rule, String sensor, String level, long minute, double value) {
        return event(rule, sensor, level, level, AlertState.CLEARED, minute, value, false);
    }

    static AlertEvent event(String rule, String sensor, String level, String previous, AlertState state, long minute,
            double value, boolean flapping) {
        return AlertEvent.newBuilder().setSensorId(sensor).setMeasurement("sensors").setTags(Map.of()).setRule(rule)
                .setLevel(level).setState(state).setField("temperature").setValue(value).setThreshold(30)
                .setEventTime(Instant.ofEpochMilli(minute * MIN)).setKind("threshold").setPreviousLevel(previous)
                .setFlapping(flapping).build();
    }
}
