package io.windrose.alert;

import io.windrose.action.ActionConfig;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** A rule as the alert operators use it, compiled from its {@link RuleConfig}. */
public final class AlertRule implements Serializable {
    private static final long serialVersionUID = 1L;

    final String name;
    final RuleKind kind;
    final String field;
    /** above (true) or below (false). */
    final boolean up;
    /** Threshold and reset per level ordinal; NaN where the level is not configured. */
    private final double[] thresholds = new double[Level.values().length];
    private final double[] resets = new double[Level.values().length];
    final long holdMs;
    final long clearAfterMs;
    final long overMs;
    final long perMs;
    final long afterMs;
    /** deadman and stuck: the level of the alert. */
    final Level deadmanLevel;
    /** stuck: how far (absolute) a value may be from the run's first value and still count as the same. */
    final double tolerance;
    /** anomaly: the baseline's half-life and warm-up (its thresholds are the sigmas per level) */
    final long halfLifeMs;
    final long minSamples;
    final RuleInput input;
    final WindowStat stat;
    final RuleScope scope;
    final int flappingHistory;
    final double flappingHigh;
    final double flappingLow;
    /** escalate: after this long raised (event time; 0: never) the alert goes up to level {@code escalateTo} */
    final long escalateAfterMs;
    final int escalateTo;
    final String message;
    final String measurement;
    /** deadman: the expected-sensors file, or null. */
    final String expected;
    final List<ActionConfig> actions;

    AlertRule(String name, RuleKind kind, String field, boolean up, EnumMap<Level, Double> thresholds,
            EnumMap<Level, Double> resets, long holdMs, long clearAfterMs, long overMs, long perMs, long afterMs,
            Level deadmanLevel, double tolerance, long halfLifeMs, long minSamples, RuleInput input, WindowStat stat, RuleScope scope, int flappingHistory,
            double flappingHigh, double flappingLow, long escalateAfterMs, int escalateTo, String message, String measurement, String expected,
            List<ActionConfig> actions) {
        this.name = name;
        this.kind = kind;
        this.field = field;
        this.up = up;
        java.util.Arrays.fill(this.thresholds, Double.NaN);
        java.util.Arrays.fill(this.resets, Double.NaN);
        for (Map.Entry<Level, Double> t : thresholds.entrySet()) {
            this.thresholds[t.getKey().ordinal()] = t.getValue();
            this.resets[t.getKey().ordinal()] = resets.getOrDefault(t.getKey(), t.getValue());
        }
        this.holdMs = holdMs;
        this.clearAfterMs = clearAfterMs;
        this.overMs = overMs;
        this.perMs = perMs;
        this.afterMs = afterMs;
        this.deadmanLevel = deadmanLevel;
        this.tolerance = tolerance;
        this.halfLifeMs = halfLifeMs;
        this.minSamples = minSamples;
        this.input = input;
        this.stat = stat;
        this.scope = scope;
        this.flappingHistory = flappingHistory;
        this.flappingHigh = flappingHigh;
        this.flappingLow = flappingLow;
        this.escalateAfterMs = escalateAfterMs;
        this.escalateTo = escalateTo;
        this.message = message;
        this.measurement = measurement;
        this.expected = expected;
        this.actions = List.copyOf(actions);
    }

    public String name() {
        return name;
    }

    public RuleKind kind() {
        return kind;
    }

    /** The longest span of event time the rule looks back over: {@code for}, {@code clear-after}, a rate's
     * {@code over}, a deadman's {@code after}, an anomaly baseline's memory (readings older than
     * {@link AnomalyBaseline#RESTART_HALF_LIVES} half-lives weigh less than 1/1000). */
    public java.time.Duration lookBack() {
        long baseline = kind == RuleKind.ANOMALY ? AnomalyBaseline.RESTART_HALF_LIVES * halfLifeMs : 0;
        return java.time.Duration.ofMillis(Math.max(Math.max(Math.max(holdMs, clearAfterMs), Math.max(overMs, afterMs)),
                baseline));
    }

    /** anomaly: the sensor's baseline over {@code state} (read and updated in place). */
    AnomalyBaseline baseline(io.windrose.alert.state.BaselineState state) {
        return new AnomalyBaseline(state, java.time.Duration.ofMillis(halfLifeMs), minSamples);
    }

    /** Whether the rule runs on window aggregates ({@code on: window}). */
    public boolean onWindows() {
        return input == RuleInput.WINDOW;
    }

    /** Whether evaluation waits for the watermark, so out-of-order readings give the in-order outcome. */
    boolean ordered() {
        return input == RuleInput.READING && (kind == RuleKind.RATE || kind == RuleKind.STUCK
                || kind == RuleKind.ANOMALY || holdMs > 0 || clearAfterMs > 0);
    }

    /** Whether the value enters level {@code level} (beyond its threshold). */
    boolean enters(int level, double value) {
        double t = thresholds[level];
        return !Double.isNaN(t) && (up ? value > t : value < t);
    }

    /** Whether a raised level {@code level} stays (not yet back past its reset value). */
    boolean stays(int level, double value) {
        double r = resets[level];
        return !Double.isNaN(r) && (up ? value > r : value < r);
    }

    /** Whether {@code value} enters any level (NaN enters none). */
    boolean entersAny(double value) {
        for (int level = 0; level < thresholds.length; level++) {
            if (enters(level, value)) {
                return true;
            }
        }
        return false;
    }

    double threshold(int level) {
        return thresholds[level];
    }

    double reset(int level) {
        return resets[level];
    }

    boolean escalates() {
        return escalateAfterMs > 0;
    }

    boolean flapping() {
        return flappingHistory > 0;
    }
}
