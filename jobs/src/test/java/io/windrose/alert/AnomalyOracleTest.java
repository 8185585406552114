package io.windrose.alert;

import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Property-based: an anomaly rule's alerts in the live operator ({@link ReadingAlertFunction} in Flink's harness), fed
 * one or two sensors' readings out of order (within the watermark's out-of-orderness) with watermarks now and then and
 * a snapshot and restore somewhere in the middle, equal an offline computation over each sensor's readings sorted by
 * event time (stable: readings at the same event time in arrival order, as {@link OrderedReadings} releases them):
 * every transition (state, level, previous level, event time, value, threshold, start) exactly, and its score within
 * 1e-9. 500 cases per property: instant levels, and levels with {@code for}, {@code clear-after} and {@code reset}.
 *
 * <p>The offline computation shares no code with the production classes ({@link AnomalyBaseline},
 * {@link AlertTracker}, {@link AnomalyEvaluator}); it recomputes everything from the definitions, for each reading:
 * <ul>
 *   <li>A reading more than 10 half-lives after the latest reading counted (learned or not; or the latest restart)
 *       restarts the baseline (forgets what it learned) before it is scored.
 *   <li>The score: with fewer than {@code min-samples} readings learned since the baseline (re)started, none (NaN);
 *       else {@code |x - mean| / max(deviation, 1e-3 |mean|, 1e-6)}, the mean and (population) deviation weighted by
 *       {@code 2^-((latest - t) / half-life)}, summed directly over the readings learned (two passes), not updated
 *       incrementally as the production class does.
 *   <li>The levels on the score (a level holds beyond its sigma, or beyond its reset while the alert is raised at it
 *       or above; raised to the highest level that has held for {@code for}; lowered or cleared once the raised level
 *       has not held for {@code clear-after}).
 *   <li>The reading is learned only if afterwards the alert is clear and its score is beyond no sigma.
 *       Otherwise it is counted as not learned; when the readings not learned since the baseline (re)started outweigh
 *       those learned, in the same weights, the baseline restarts after it.
 * </ul>
 *
 * <p>Generated series: noise (Gaussian; now and then none: a flat sensor, scored against the floor) around a level of
 * 0.3 to 1000, with faults — lasting steps (a new normal), temporary steps, spikes, ramps — and silences (a few
 * half-lives; about 10; exactly 10 half-lives ± 1 ms after the sensor's latest reading), readings up to the disorder
 * late, now and then two at the same event time. The statistics the property reports show how often warm-up, raises,
 * clears, restarts after 10 half-lives raised and restarts after a silence happen; coverage checks keep them happening.
 *
 * <p>A score is compared within 1e-9 relative to the larger of the two scores, but not below 1 (an absolute 1e-9 for a
 * score under 1: what matters is its distance to a sigma; a reading at the mean scores ~0 out of a cancellation).
 */
class AnomalyOracleTest {
    private static final double RELATIVE = 1e-9;
    private static final long RESTART_HALF_LIVES = 10;
    private static final String[] LEVELS = {"warning", "critical"};

    /** The rule under test, as its YAML and as the offline computation reads it. */
    record Spec(long halfLifeMs, int minSamples, double[] sigma, double[] reset, long forMs, long clearAfterMs) {
        String yaml() {
            String base = "[{name: odd, kind: anomaly, field: temperature, sigma: {warning: " + sigma[0] + ", critical: "
                    + sigma[1] + "}, half-life: " + halfLifeMs + "ms, min-samples: " + minSamples;
            if (forMs > 0 || clearAfterMs > 0 || !Arrays.equals(sigma, reset)) {
                base += ", for: " + forMs + "ms, clear-after: " + clearAfterMs + "ms, reset: {warning: " + reset[0]
                        + ", critical: " + reset[1] + "}";
            }
            return base + "}]";
        }
    }

    /** One generated series: its shape; its content comes from the seed. */
    record Case(int sensors, int readings, int halfLifeS, int minSamples, int disorderMs, int watermarkEvery,
            int restoreAt, long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 200),
                Arbitraries.of(2, 2, 5, 20) /* 2 s twice as often: restarts fit in the series */, Arbitraries.of(1, 3, 10), Arbitraries.of(1, 500, 3_000),
                Arbitraries.of(1, 3, 10), Arbitraries.integers().between(0, 200), Arbitraries.longs()).as(Case::new);
    }

    @Property(tries = 500)
    void instantLevels(@ForAll("cases") Case c) throws Exception {
        double[] sigma = {3, 5};
        check(c, new Spec(c.halfLifeS() * 1_000L, c.minSamples(), sigma, sigma, 0, 0));
    }

    @Property(tries = 500)
    void levelsWithForClearAfterAndReset(@ForAll("cases") Case c) throws Exception {
        // for: shorter than the shortest half-life (2 s), as the rule requires
        check(c, new Spec(c.halfLifeS() * 1_000L, c.minSamples(), new double[] {3, 5}, new double[] {2, 4}, 1_500,
                1_000));
    }

    private static void check(Case c, Spec spec) throws Exception {
        RuleBook book = rules(spec.yaml());
        List<SensorReading> readings = series(c, spec.halfLifeMs());

        List<AlertEvent> live = new ArrayList<>();
        long highest = Long.MIN_VALUE;
        long watermark = Long.MIN_VALUE;
        var h = open(harness(book));
        try {
            for (int i = 0; i < readings.size(); i++) {
                if (i == c.restoreAt()) {
                    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                    live.addAll(h.extractOutputValues());
                    h.close();
                    h = harness(book);
                    h.initializeState(snapshot);
                    open(h);
                }
                SensorReading reading = readings.get(i);
                long time = reading.getEventTime().toEpochMilli();
                // the premise: within the out-of-orderness, so each reading waits for the watermark and none is
                // taken at once out of event-time order
                assertThat(time).as("reading %d of %s ahead of the watermark", i, c).isGreaterThan(watermark);
                h.processElement(reading, time);
                highest = Math.max(highest, time);
                if ((i + 1) % c.watermarkEvery() == 0) {
                    watermark = highest - c.disorderMs();
                    h.processWatermark(new Watermark(watermark));
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            live.addAll(h.extractOutputValues());
        } finally {
            h.close();
        }

        Map<String, List<SensorReading>> bySensor = new TreeMap<>();
        readings.forEach(r -> bySensor.computeIfAbsent(r.getSensorId(), s -> new ArrayList<>()).add(r));
        Map<String, List<Transition>> expected = new TreeMap<>();
        Set<Feature> features = EnumSet.noneOf(Feature.class);
        bySensor.forEach((sensor, theirs) -> expected.put(sensor, new Offline(spec, features).run(theirs)));
        expected.values().removeIf(List::isEmpty);
        Map<String, List<Transition>> actual = new TreeMap<>();
        live.forEach(e -> actual.computeIfAbsent(e.getSensorId(), s -> new ArrayList<>()).add(Transition.of(e)));

        for (Feature feature : Feature.values()) {
            Statistics.label(feature.name()).collect(features.contains(feature));
        }
        for (Feature feature : Feature.values()) {
            if (feature != Feature.NOT_LEARNED_WHILE_CLEAR || spec.forMs() > 0) { // instant: beyond a sigma is raised
                Statistics.label(feature.name()).coverage(cover -> cover.check(true).percentage(p -> p >= feature.least));
            }
        }

        assertThat(texts(actual)).as("live transitions of %s, rule %s", c, spec.yaml()).isEqualTo(texts(expected));
        for (String sensor : expected.keySet()) {
            for (int i = 0; i < expected.get(sensor).size(); i++) {
                Transition want = expected.get(sensor).get(i);
                Transition got = actual.get(sensor).get(i);
                assertScore(got.score(), want.score(), "score of " + want.text() + " of " + c + ", rule " + spec.yaml());
            }
        }
    }

    private static Map<String, List<String>> texts(Map<String, List<Transition>> transitions) {
        Map<String, List<String>> texts = new TreeMap<>();
        transitions.forEach((sensor, list) -> texts.put(sensor, list.stream().map(Transition::text).toList()));
        return texts;
    }

    /** Equal, both none, or within 1e-9 of the larger (not below 1). */
    private static void assertScore(double actual, double expected, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            assertThat(Double.isNaN(actual)).as("%s: %s vs %s", what, actual, expected).isEqualTo(Double.isNaN(expected));
            return;
        }
        double tolerance = RELATIVE * Math.max(Math.max(Math.abs(actual), Math.abs(expected)), 1.0);
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(tolerance);
    }

    /**
     * What a case went through (in the offline computation), for the statistics and their coverage checks: the least
     * percentage of cases, a third of what either property sees or less (a check must not fail by chance: at 500 cases
     * a share of 2 % varies by about 0.6 %).
     */
    enum Feature {
        /** a reading scored NaN (warming up) */
        WARMING_UP(50),
        RAISED(8),
        RAISED_CRITICAL(5),
        CLEARED(5),
        /** a level change while raised */
        // rare with for, as a baseline of a few readings' weight restarts about as soon (level changes are
        // ReadingAlertFunctionTest's); counted, not required
        RAISED_ANOTHER_LEVEL(0),
        /** a reading beyond a sigma not learned while the alert is clear (on its way to raise: for) */
        NOT_LEARNED_WHILE_CLEAR(5),
        /** the baseline restarted because the readings it did not learn outweighed those it learned */
        RESTART_RAISED(5),
        /** the baseline restarted after a silence of more than 10 half-lives while clear */
        RESTART_SILENCE(2),
        /** a transition at an event time shared with another reading of the sensor */
        TIE(0.4);

        final double least;

        Feature(double least) {
            this.least = least;
        }
    }

    /** A transition as compared: everything but the score exactly; the score within the tolerance. */
    record Transition(String text, double score) {
        static Transition of(AlertEvent e) {
            return new Transition(text(e.getState().name(), e.getLevel(), e.getPreviousLevel(),
                    e.getEventTime().toEpochMilli(), e.getValue(), e.getThreshold(), e.getStartedAt().toEpochMilli()),
                    e.getScore() == null ? Double.NaN : e.getScore());
        }

        static String text(String state, String level, String previous, long time, double value, double threshold,
                long startedAt) {
            return state + " " + level + (previous == null ? "" : " from " + previous) + " at " + time + " value "
                    + value + " threshold " + threshold + " started " + startedAt;
        }
    }

    /**
     * The offline computation for one sensor: its readings sorted by event time (stable), one pass. The baseline is
     * the list of readings learned since it (re)started; the levels, the state of a rule with {@code for},
     * {@code clear-after} and {@code reset}.
     */
    static final class Offline {
        private static final long NONE = Long.MIN_VALUE;

        private final Spec spec;
        private final Set<Feature> features;
        /** the event times and values of the readings learned since the baseline (re)started */
        private final List<Long> learnedTimes = new ArrayList<>();
        private final List<Double> learnedValues = new ArrayList<>();
        /** the event times of the readings scored and not learned since the baseline (re)started */
        private final List<Long> rejectedTimes = new ArrayList<>();
        /** the latest reading counted (learned or not), or restart: silences are measured from it; the weights are
         * relative to it */
        private long latest = NONE;
        /** the raised level (index in LEVELS), -1: clear */
        private int level = -1;
        private long raisedAt;
        /** per level, the event time since which it has held without a break (NONE: it does not hold) */
        private final long[] holdingSince = {NONE, NONE};
        /** the event time since which the raised level has not held (NONE: it holds) */
        private long notHoldingSince = NONE;

        Offline(Spec spec, Set<Feature> features) {
            this.spec = spec;
            this.features = features;
        }

        List<Transition> run(List<SensorReading> arrivals) {
            List<SensorReading> sorted = new ArrayList<>(arrivals);
            sorted.sort(Comparator.comparing(SensorReading::getEventTime)); // List.sort is stable
            List<Transition> transitions = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                SensorReading reading = sorted.get(i);
                long t = reading.getEventTime().toEpochMilli();
                double x = reading.getFields().get("temperature");
                if (latest != NONE && t - latest > RESTART_HALF_LIVES * spec.halfLifeMs()) {
                    if (!learnedValues.isEmpty()) {
                        features.add(Feature.RESTART_SILENCE); // back from a long silence
                    }
                    forget(t);
                }
                double score = score(x);
                if (Double.isNaN(score)) {
                    features.add(Feature.WARMING_UP);
                }
                Transition transition = levels(score, t, x);
                if (transition != null) {
                    transitions.add(transition);
                    boolean tie = (i > 0 && sorted.get(i - 1).getEventTime().toEpochMilli() == t)
                            || (i + 1 < sorted.size() && sorted.get(i + 1).getEventTime().toEpochMilli() == t);
                    if (tie) {
                        features.add(Feature.TIE);
                    }
                }
                boolean beyondASigma = score > spec.sigma()[0] || score > spec.sigma()[1];
                if (level < 0 && !beyondASigma) {
                    learn(t, x);
                } else {
                    if (level < 0) {
                        features.add(Feature.NOT_LEARNED_WHILE_CLEAR);
                    }
                    reject(t);
                }
            }
            return transitions;
        }

        private void forget(long t) {
            learnedTimes.clear();
            learnedValues.clear();
            rejectedTimes.clear();
            latest = latest == NONE ? t : Math.max(latest, t);
        }

        private void learn(long t, double x) {
            // sorted by event time: never older than the latest reading learned, nor than a restart; a silence has
            // restarted the baseline before the reading was scored
            learnedTimes.add(t);
            learnedValues.add(x);
            latest = t;
        }

        /** A reading scored and not learned: when those outweigh the readings learned, the baseline starts again. */
        private void reject(long t) {
            rejectedTimes.add(t);
            latest = latest == NONE ? t : Math.max(latest, t);
            double rejected = 0;
            for (long r : rejectedTimes) {
                rejected += Math.pow(2, -(double) (latest - r) / spec.halfLifeMs());
            }
            double learned = 0;
            for (long l : learnedTimes) {
                learned += Math.pow(2, -(double) (latest - l) / spec.halfLifeMs());
            }
            if (rejected > learned) {
                features.add(Feature.RESTART_RAISED);
                forget(t);
            }
        }

        /** NaN while warming up; else |x - mean| / max(deviation, floor) over the readings learned. */
        private double score(double x) {
            int n = learnedValues.size();
            if (n < spec.minSamples()) {
                return Double.NaN;
            }
            double[] w = new double[n];
            double total = 0;
            double weighted = 0;
            for (int i = 0; i < n; i++) {
                w[i] = Math.pow(2, -(double) (latest - learnedTimes.get(i)) / spec.halfLifeMs());
                total += w[i];
                weighted += w[i] * learnedValues.get(i);
            }
            double mean = weighted / total;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                double d = learnedValues.get(i) - mean;
                squares += w[i] * d * d;
            }
            double deviation = Math.sqrt(squares / total);
            double floor = Math.max(1e-3 * Math.abs(mean), 1e-6);
            return Math.abs(x - mean) / Math.max(deviation, floor);
        }

        /** The rule's levels see {@code score} at {@code t}: the transition, or null. */
        private Transition levels(double score, long t, double x) {
            int holding = -1; // the highest level that holds now
            for (int l = 0; l < LEVELS.length; l++) {
                boolean holds = score > spec.sigma()[l] || (l <= level && score > spec.reset()[l]);
                if (!holds) {
                    holdingSince[l] = NONE;
                } else {
                    if (holdingSince[l] == NONE) {
                        holdingSince[l] = t;
                    }
                    holding = l;
                }
            }
            int next = level;
            if (holding > level) {
                notHoldingSince = NONE;
                for (int l = holding; l > level; l--) {
                    if (t - holdingSince[l] >= spec.forMs()) {
                        next = l;
                        break;
                    }
                }
            } else if (holding < level) {
                if (notHoldingSince == NONE) {
                    notHoldingSince = t;
                }
                if (t - notHoldingSince >= spec.clearAfterMs()) {
                    next = holding;
                    notHoldingSince = NONE;
                }
            } else {
                notHoldingSince = NONE;
            }
            if (next == level) {
                return null;
            }
            int before = level;
            level = next;
            Transition transition;
            if (before < 0) {
                raisedAt = t;
                features.add(Feature.RAISED);
                transition = new Transition(Transition.text("RAISED", LEVELS[next], null, t, x, spec.sigma()[next], t),
                        score);
            } else if (next < 0) {
                features.add(Feature.CLEARED);
                transition = new Transition(Transition.text("CLEARED", LEVELS[before], LEVELS[before], t, x,
                        spec.reset()[before], raisedAt), score);
            } else {
                features.add(Feature.RAISED_ANOTHER_LEVEL);
                double threshold = next > before ? spec.sigma()[next] : spec.reset()[before];
                transition = new Transition(Transition.text("RAISED", LEVELS[next], LEVELS[before], t, x, threshold,
                        raisedAt), score);
            }
            if (next == 1) {
                features.add(Feature.RAISED_CRITICAL);
            }
            return transition;
        }
    }

    /**
     * The readings of a case, in arrival order: each sensor's series (below), interleaved; event times rise 0-1,500 ms
     * a reading and are moved back by up to the disorder, or (1 in 20) repeat the previous reading's; a silence moves
     * the clock on and its first reading is not moved back.
     */
    static List<SensorReading> series(Case c, long halfLifeMs) {
        Random random = new Random(c.seed());
        Sensor[] sensors = new Sensor[c.sensors()];
        for (int s = 0; s < sensors.length; s++) {
            sensors[s] = new Sensor("s-" + s, random);
        }
        List<SensorReading> readings = new ArrayList<>();
        long clock = 1_700_000_000_000L;
        long last = clock;
        for (int i = 0; i < c.readings(); i++) {
            Sensor sensor = sensors[random.nextInt(sensors.length)];
            double value = sensor.next(random);
            long time;
            long silence = sensor.silence(random, halfLifeMs);
            if (silence > 0) {
                clock = Math.max(clock, sensor.latest + silence);
                time = clock;
            } else if (i > 0 && random.nextInt(20) == 0) {
                time = last; // the same event time as the previous reading
            } else {
                clock += random.nextInt(1_500);
                time = clock - random.nextInt(c.disorderMs());
            }
            sensor.latest = Math.max(sensor.latest, time);
            last = time;
            readings.add(Readings.of(sensor.id, time, "temperature", value));
        }
        return readings;
    }

    /** One sensor's values: noise around a level, with faults; now and then a silence before the next reading. */
    static final class Sensor {
        final String id;
        double level;
        final double noise;
        /** what a fault's size is measured in: the noise, or (a flat sensor) a little more than the floor */
        final double unit;
        long latest = Long.MIN_VALUE;
        int remaining;
        double offset;
        double slope;
        boolean silenceNext;

        Sensor(String id, Random random) {
            this.id = id;
            double[] levels = {20, -5, 0.3, 1000};
            level = levels[random.nextInt(levels.length)];
            noise = random.nextInt(15) == 0 ? 0 : (0.05 + random.nextDouble()) * (Math.abs(level) < 1 ? 0.1 : 1);
            unit = noise > 0 ? noise : 2e-3 * Math.abs(level) + 1e-6;
        }

        double next(Random random) {
            if (remaining == 0) {
                segment(random);
            }
            remaining--;
            level += slope;
            return level + offset + noise * random.nextGaussian();
        }

        private void segment(Random random) {
            offset = 0;
            slope = 0;
            int roll = random.nextInt(100);
            double sign = random.nextBoolean() ? 1 : -1;
            if (roll < 35) { // steady
                remaining = 5 + random.nextInt(30);
            } else if (roll < 50) { // a lasting step: a new normal
                level += sign * (2 + 12 * random.nextDouble()) * unit;
                remaining = 5 + random.nextInt(40);
            } else if (roll < 65) { // a temporary step
                offset = sign * (2 + 12 * random.nextDouble()) * unit;
                remaining = 3 + random.nextInt(60);
            } else if (roll < 77) { // a spike
                offset = sign * (4 + 30 * random.nextDouble()) * unit;
                remaining = 1 + random.nextInt(2);
            } else if (roll < 87) { // a ramp
                slope = sign * (0.1 + 1.4 * random.nextDouble()) * unit;
                remaining = 5 + random.nextInt(30);
            } else { // steady after a silence
                silenceNext = true;
                remaining = 5 + random.nextInt(30);
            }
        }

        /** The silence before this reading (ms after the sensor's latest reading), or 0. */
        long silence(Random random, long halfLifeMs) {
            if (!silenceNext || latest == Long.MIN_VALUE) {
                silenceNext = false;
                return 0;
            }
            silenceNext = false;
            return switch (random.nextInt(3)) {
                case 0 -> Math.round((1 + 4 * random.nextDouble()) * halfLifeMs); // remembered
                case 1 -> Math.round((8 + 6 * random.nextDouble()) * halfLifeMs); // about the limit
                default -> RESTART_HALF_LIVES * halfLifeMs + random.nextInt(3) - 1; // exactly at the limit ± 1 ms
            };
        }
    }
}
