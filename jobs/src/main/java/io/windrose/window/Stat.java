package io.windrose.window;

import java.util.Locale;

/** A statistic of a field over a window, as named in {@code window.stats} and in the InfluxDB field suffix. */
public enum Stat {
    COUNT, MIN, MAX, MEAN, SUM, LAST, FIRST, STDEV, P50(0.50), P90(0.90), P95(0.95), P99(0.99);

    private final double quantile;
    // once, and in the root locale: the default locale's lower case of MIN is "mın" in Turkish; the InfluxDB writer
    // asks for it for every field of every point
    private final String label = name().toLowerCase(Locale.ROOT);

    Stat() {
        this(Double.NaN);
    }

    Stat(double quantile) {
        this.quantile = quantile;
    }

    /** For a percentile, its quantile (0.99 for p99); NaN otherwise. */
    public double quantile() {
        return quantile;
    }

    public boolean isPercentile() {
        return !Double.isNaN(quantile);
    }

    @Override
    public String toString() {
        return label;
    }
}
