package io.windrose.alert;

import java.util.Locale;

/** What a rule watches. Configuration form: {@code threshold}, {@code rate}, {@code deadman},
 * {@code stuck}, {@code anomaly}, {@code offline}. */
public enum RuleKind {
    /** A field's value against thresholds per level. */
    THRESHOLD,
    /** A field's change per unit of time over a span, against thresholds per level. */
    RATE,
    /** No reading from a sensor for a while (wall-clock time), including sensors never seen but expected. */
    DEADMAN,
    /** A field repeating one value (within a tolerance) for {@code for} (event time) while readings keep arriving. */
    STUCK,
    /** A field far from the sensor's own recent behaviour: its score against an {@link AnomalyBaseline}, per level. */
    ANOMALY,
    /**
     * The sensor said it is gone (a Sparkplug DEATH: a state marker, see
     * {@link io.windrose.reading.SensorReadings#stateMarker}) until it is back (its BIRTH): at once, no deadman wait.
     */
    OFFLINE;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
