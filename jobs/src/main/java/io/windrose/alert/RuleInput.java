package io.windrose.alert;

import java.util.Locale;

/** What a threshold rule is evaluated on. Configuration form: {@code reading}, {@code window}. */
public enum RuleInput {
    /** Every reading (default). */
    READING,
    /** Every window aggregate, on one of its statistics ({@code stat}). */
    WINDOW;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
