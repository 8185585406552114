package io.windrose.alert;

import java.util.Locale;

/** What a rule watches. Configuration form: {@code threshold}, {@code rate}, {@code deadman}. */
public enum RuleKind {
    /** A field's value against thresholds per level. */
    THRESHOLD,
    /** A field's change per unit of time over a span, against thresholds per level. */
    RATE,
    /** No reading from a sensor for a while (wall-clock time), including sensors never seen but expected. */
    DEADMAN;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
