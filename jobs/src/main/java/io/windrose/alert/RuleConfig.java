package io.windrose.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.windrose.action.ActionConfig;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.Durations;
import io.windrose.config.RelativePath;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One item of the {@code rules} list. Kinds: {@code threshold} (a field above or below a number, per level, with
 * hysteresis), {@code rate} (a field's change per unit of time over a span), {@code deadman} (no reading for a while,
 * also from expected sensors never seen), {@code stuck} (a field repeating one value, within {@code tolerance}, for
 * {@code for}), {@code anomaly} (a field far from the sensor's own recent behaviour: {@code sigma} per level against
 * an {@link AnomalyBaseline} of {@code half-life}, after {@code min-samples}), {@code offline} (a device said it is
 * gone, until it is back: state markers from a decoder such as Sparkplug B's). Any kind: {@code for} / {@code clear-after}, {@code where} / {@code sensors}
 * scope, {@code flapping}, a {@code message} template.
 */
public final class RuleConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 2L;

    public String name;
    /** threshold | rate | deadman | stuck | anomaly | offline; absent: deadman with after, rate with over, else threshold. */
    public RuleKind kind;
    /** The field the rule watches (threshold, rate, stuck, anomaly). */
    public String field;
    /** A number (for {@code level}) or numbers per level: {warning: 30, critical: 40}. */
    public Thresholds above;
    public Thresholds below;
    /** anomaly: the score (deviations from the sensor's baseline) per level: {warning: 3, critical: 5}, or one number. */
    public Thresholds sigma;
    /** anomaly: a reading's weight in the baseline halves every half-life of event time. */
    public Duration halfLife = Duration.ofMinutes(10);
    /** anomaly: readings learned before the rule scores (no alert while warming up). */
    public long minSamples = 30;
    /** Hysteresis: a level is left only when the value (an anomaly's score) is back past its reset value (default:
     * the threshold). */
    public Thresholds reset;
    /** The level of a single-number threshold, and of a deadman, stuck or offline alert. */
    public Level level = Level.WARNING;
    /** The condition must hold this long (event time) before the alert is raised or goes up a level. */
    @JsonProperty("for")
    public Duration holdFor = Duration.ZERO;
    /** The condition must be gone this long (event time) before the alert clears or goes down a level. */
    public Duration clearAfter = Duration.ZERO;
    /** rate: the span the change is measured over (from the oldest reading within it to the newest). */
    public Duration over;
    /** rate: the unit of time of the rate, e.g. 1m for "°C per minute". */
    public Duration per = Duration.ofMinutes(1);
    /** stuck: values at most this far (absolute) from the run's first value count as the same value. */
    public double tolerance = 0;
    /** deadman: raised after this long without a reading (wall clock). */
    public Duration after;
    /** deadman: sensors to watch even if never seen: one id per line, optional tag=value pairs, # comments. */
    @JsonDeserialize(using = RelativePath.class)
    public String expected;
    /** deadman: the measurement (route) the expected sensors belong to; default: the first route's. */
    public String measurement;
    /** threshold: reading (every reading, on arrival) or window (every window aggregate, its stat). */
    public RuleInput on = RuleInput.READING;
    /** on: window: which statistic of the field. */
    public WindowStat stat = WindowStat.MEAN;
    /** Only readings whose tags have these values. */
    public Map<String, String> where = new LinkedHashMap<>();
    /** Only sensors whose id matches this glob (* any text, ? one character). */
    public String sensors;
    /** Opt-in: hold a flapping alert RAISED instead of emitting every change. */
    public Flapping flapping;
    /** Opt-in: an alert still RAISED {@code after} this long (event time) goes up to level {@code to}, with its actions. */
    public Escalate escalate;
    /** Template of the event's message: {sensor}, {rule}, {level}, {state}, {field}, {value}, {threshold}, {for}, {kind},
     * {score} (anomaly), tags. */
    public String message;
    /** What to do on each change: MQTT commands to devices, webhooks. */
    public List<ActionConfig> actions = new ArrayList<>();

    /** An alert nobody made go away: still RAISED {@code after} its raise (event time), it goes up to {@code to}. */
    public static final class Escalate implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** How long after the raise (event time, as {@code for}). */
        public Duration after;
        /** The level it goes up to. */
        public Level to = Level.CRITICAL;

        @Override
        public void validate(ConfigCheck check) {
            check.positive(after, "after");
            check.require(to != null, "to", "expected a level: info, warning or critical");
        }
    }

    /** Kapacitor's flapping(low, high) over history(n): the share of state changes among the last evaluations. */
    public static final class Flapping implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** Evaluations looked back on (2..64). */
        public int history = 20;
        /** Above this share of changes the alert is flapping. */
        public double high = 0.5;
        /** Below this share it stops flapping. */
        public double low = 0.25;

        @Override
        public void validate(ConfigCheck check) {
            check.require(history >= 2 && history <= 64, "history", "expected a whole number from 2 to 64, got " + history);
            check.require(low > 0 && low < high && high <= 1, "", "expected 0 < low < high <= 1, got low " + low
                    + " and high " + high);
        }
    }

    /** The kind as configured, or as its keys imply. */
    public RuleKind kind() {
        if (kind != null) {
            return kind;
        }
        return after != null ? RuleKind.DEADMAN : over != null ? RuleKind.RATE : RuleKind.THRESHOLD;
    }

    /** The levels the rule can raise, lowest first: those its thresholds (an anomaly's sigmas) name, else its level. */
    public List<Level> levels() {
        Thresholds written = kind() == RuleKind.ANOMALY ? sigma : single(kind()) ? null : above != null ? above : below;
        return written == null ? List.of(level) : List.copyOf(written.byLevel(level).keySet());
    }

    /** @param defaultMeasurement the measurement of expected sensors when the rule names none (the first route's) */
    public AlertRule compile(String defaultMeasurement) {
        RuleKind k = kind();
        boolean up = below == null;
        EnumMap<Level, Double> thresholds = single(k) ? new EnumMap<>(Level.class)
                : k == RuleKind.ANOMALY ? sigma.byLevel(level) : (up ? above : below).byLevel(level);
        EnumMap<Level, Double> resets = new EnumMap<>(thresholds);
        if (reset != null) {
            resets.putAll(reset.byLevel(thresholds.size() == 1 ? thresholds.keySet().iterator().next() : level));
        }
        return new AlertRule(name, k, field, up, thresholds, resets, holdFor.toMillis(), clearAfter.toMillis(),
                over == null ? 0 : over.toMillis(), per.toMillis(), after == null ? 0 : after.toMillis(), level,
                tolerance, halfLife.toMillis(), minSamples, on, stat, new RuleScope(where, sensors), flapping == null ? 0 : flapping.history,
                flapping == null ? 0 : flapping.high, flapping == null ? 0 : flapping.low,
                escalate == null ? 0 : escalate.after.toMillis(), escalate == null ? -1 : escalate.to.ordinal(), message,
                measurement == null ? defaultMeasurement : measurement, expected, actions);
    }

    /** Kinds with one level, the rule's {@code level}, and no thresholds. */
    private static boolean single(RuleKind kind) {
        return kind == RuleKind.DEADMAN || kind == RuleKind.STUCK || kind == RuleKind.OFFLINE;
    }

    @Override
    public void validate(ConfigCheck check) {
        check.notBlank(name, "name", "expected a rule name");
        RuleKind k = kind();
        if (k == RuleKind.OFFLINE) {
            check.require(field == null, "field", "an offline rule watches no field: it raises when a device or node"
                    + " says it is gone (a Sparkplug DEATH) and clears when it is back (its BIRTH)");
            check.require(above == null && below == null && reset == null, "",
                    "an offline rule has no above, below or reset: it raises when a device says it is gone");
            check.require(holdFor.isZero() && clearAfter.isZero(), "", "an offline rule has no for or clear-after: it"
                    + " raises at the death and clears at the birth, at once");
            check.require(after == null && expected == null, "", "after and expected belong to deadman rules");
            check.require(on == RuleInput.READING, "on", "an offline rule watches what devices say, not windows");
        } else if (k == RuleKind.DEADMAN) {
            check.positive(after, "after");
            check.require(above == null && below == null && reset == null, "",
                    "a deadman rule has no above, below or reset: it fires after 'after' without a reading");
            check.require(on == RuleInput.READING, "on", "a deadman rule watches readings");
        } else if (k == RuleKind.STUCK) {
            check.notBlank(field, "field", "expected the field the rule watches, e.g. temperature");
            check.require(above == null && below == null, "",
                    "a stuck rule has no above or below: it raises when 'field' repeats one value for 'for'");
            check.require(reset == null, "reset", "a stuck rule has no reset: it clears on the first reading that moves"
                    + " more than 'tolerance' from the value it was stuck at");
            check.require(clearAfter.isZero(), "clear-after", "a stuck rule has no clear-after: it clears on the first"
                    + " reading that moves more than 'tolerance' from the value it was stuck at");
            check.require(holdFor != null && holdFor.compareTo(Duration.ZERO) > 0, "for",
                    "a stuck rule needs 'for': how long one value must repeat to raise, e.g. 10m");
            check.require(Double.isFinite(tolerance) && tolerance >= 0, "tolerance",
                    "expected a number of at least 0, got " + tolerance);
            check.require(after == null && expected == null, "", "after and expected belong to deadman rules");
            check.require(on == RuleInput.READING, "on", "a stuck rule watches readings");
        } else if (k == RuleKind.ANOMALY) {
            check.notBlank(field, "field", "expected the field the rule watches, e.g. temperature");
            check.require(above == null && below == null, "", "an anomaly rule has no above or below: it raises when"
                    + " 'field' is more than 'sigma' deviations from the sensor's baseline, e.g. sigma: {warning: 3,"
                    + " critical: 5}");
            check.require(sigma != null, "sigma", "expected the score per level, e.g. {warning: 3, critical: 5}, or"
                    + " one number");
            check.require(after == null && expected == null, "", "after and expected belong to deadman rules");
            check.require(halfLife != null && halfLife.toMillis() >= 1, "half-life",
                    "expected a positive duration such as 10m, got " + (halfLife == null ? null : Durations.format(halfLife)));
            check.require(minSamples >= 1, "min-samples", "expected a whole number of at least 1, got " + minSamples);
            check.require(halfLife == null || holdFor == null || holdFor.compareTo(halfLife) < 0, "for", "expected"
                    + " less than half-life (" + (halfLife == null ? null : Durations.format(halfLife)) + "): readings"
                    + " beyond sigma for about a half-life are the sensor's new normal, so the alert would never raise");
            check.require(on == RuleInput.READING, "on", "an anomaly rule watches readings");
            if (sigma != null) {
                for (Map.Entry<Level, Double> s : sigma.byLevel(level).entrySet()) {
                    check.require(s.getValue() > 0, "sigma." + s.getKey(), "expected a positive number of deviations,"
                            + " got " + s.getValue());
                }
                levels(check, sigma, "sigma", true);
            }
            if (reset != null) {
                for (double r : reset.byLevel(level).values()) {
                    check.require(r > 0, "reset", "expected a positive score (a score is never below 0, so a level"
                            + " with a reset of " + AlertEvents.number(r) + " would never be left), got " + r);
                }
            }
        } else {
            check.notBlank(field, "field", "expected the field the rule watches, e.g. temperature");
            check.require((above == null) != (below == null), "",
                    "expected exactly one of 'above' or 'below' with the threshold");
            check.require(after == null && expected == null, "", "after and expected belong to deadman rules");
            levels(check, above != null ? above : below, above != null ? "above" : "below", above != null);
        }
        if (k != RuleKind.ANOMALY) {
            check.require(sigma == null, "sigma", "sigma belongs to anomaly rules");
            // (at their defaults they cannot be told from absent keys: accepted, as they change nothing)
            check.require(Duration.ofMinutes(10).equals(halfLife), "half-life", "half-life belongs to anomaly rules");
            check.require(minSamples == 30, "min-samples", "min-samples belongs to anomaly rules");
        }
        if (k == RuleKind.RATE) {
            check.positive(over, "over");
            check.positive(per, "per");
            check.require(on == RuleInput.READING, "on", "a rate rule watches readings");
        } else {
            check.require(over == null, "over", "over belongs to rate rules");
        }
        if (k != RuleKind.STUCK) {
            check.require(tolerance == 0, "tolerance", "tolerance belongs to stuck rules");
        }
        check.notNegative(holdFor, "for");
        check.notNegative(clearAfter, "clear-after");
        check.readableFile(expected, "expected");
        check.require(sensors == null || !sensors.isBlank(), "sensors", "expected a sensor id glob such as pump-*");
        if (escalate != null) {
            check.section("escalate", escalate);
            check.require(k != RuleKind.DEADMAN, "escalate", "a deadman rule is judged on the wall clock when the"
                    + " silence begins, not again while it lasts: give it a second deadman rule with a longer 'after'"
                    + " and a higher level instead");
            check.require(k != RuleKind.OFFLINE, "escalate", "an offline rule is judged when the device says it is"
                    + " gone, and a device that is gone says nothing more: give it a higher level instead");
            if (escalate.to != null && k != RuleKind.DEADMAN) {
                List<Level> raises = levels();
                check.require(escalate.to.compareTo(raises.get(0)) > 0, "escalate.to", "expected a level above the"
                        + " rule's lowest (" + raises.get(0) + "), got " + escalate.to);
            }
        }
        if (flapping != null) {
            check.section("flapping", flapping);
        }
        check.each("actions", actions);
    }

    /** The levels of {@code written} (key {@code key}) rise with the level, and the resets are on their clear side. */
    private void levels(ConfigCheck check, Thresholds written, String key, boolean up) {
        EnumMap<Level, Double> thresholds = written.byLevel(level);
        if (reset != null) {
            EnumMap<Level, Double> resets = reset.byLevel(thresholds.size() == 1 ? thresholds.keySet().iterator().next()
                    : level);
            for (Map.Entry<Level, Double> r : resets.entrySet()) {
                Double threshold = thresholds.get(r.getKey());
                check.require(threshold != null, "reset." + r.getKey(), "a reset for a level without a threshold");
                check.require(threshold == null || (up ? r.getValue() <= threshold : r.getValue() >= threshold),
                        "reset." + r.getKey(), "the reset must be on the clear side of the threshold ("
                                + (up ? "at most " : "at least ") + threshold + "), got " + r.getValue());
            }
        }
        ascending(check, thresholds, key, up);
    }

    /** Higher levels need values further out: above, critical's number above warning's. */
    private static void ascending(ConfigCheck check, EnumMap<Level, Double> thresholds, String key, boolean up) {
        Double previous = null;
        for (Map.Entry<Level, Double> t : thresholds.entrySet()) {
            if (previous != null) {
                check.require(up ? t.getValue() >= previous : t.getValue() <= previous, key + "." + t.getKey(),
                        "a higher level needs a value " + (up ? "at least" : "at most") + " the lower level's (" + previous
                                + "), got " + t.getValue());
            }
            previous = t.getValue();
        }
    }
}
