package io.windrose.alert;

import java.util.Locale;

/** Alert levels, ordered: info &lt; warning &lt; critical. Configuration form: {@code info}, {@code warning}, {@code critical}. */
public enum Level {
    INFO,
    WARNING,
    CRITICAL;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level of an ordinal kept in state; -1 (no level) gives null. */
    static Level of(int ordinal) {
        return ordinal < 0 ? null : values()[ordinal];
    }
}
