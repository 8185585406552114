package io.windrose.alert;

import io.windrose.schema.FieldStats;
import java.util.Locale;

/** A statistic of a window aggregate that an {@code on: window} rule watches. */
public enum WindowStat {
    MEAN, MIN, MAX, SUM, COUNT, LAST;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    double of(FieldStats stats) {
        return switch (this) {
            case MEAN -> stats.getMean();
            case MIN -> stats.getMin();
            case MAX -> stats.getMax();
            case SUM -> stats.getSum();
            case COUNT -> stats.getCount();
            case LAST -> stats.getLast();
        };
    }
}
