package io.windrose.alert;

import io.windrose.alert.state.BaselineState;
import java.io.Serializable;
import java.time.Duration;

/**
 * A sensor's own recent behaviour, for {@code kind: anomaly}: an exponentially weighted mean and standard deviation
 * in EVENT time, and the score of a reading against them. Pure: no Flink, no clock of its own; its state is a
 * {@link BaselineState} record (keyed state beside the rule's {@code AlertTrack}), read and written in place.
 *
 * <h2>Weights</h2>
 * A reading learned at event time {@code t} weighs {@code 2^-((T - t) / half-life)} at a later time {@code T}: weights
 * decay with elapsed event time, not with the number of readings, so a gap of one half-life halves the weight of
 * everything before it, and a sensor that reports twice as often does not forget twice as fast. The baseline is the
 * weighted mean and the weighted (population) variance of the readings learned:
 * <pre>
 *   W = Σ wᵢ      mean = Σ wᵢ xᵢ / W      deviation = sqrt(Σ wᵢ (xᵢ - mean)² / W)
 * </pre>
 * kept incrementally by West's weighted update (1979): decaying all weights by {@code d} scales {@code W} and
 * {@code m2 = Σ wᵢ (xᵢ - mean)²} by {@code d} and leaves the mean, then a reading of weight {@code w} does
 * {@code W += w; mean += w (x - mean) / W; m2 += w (x - mean_before)(x - mean_after)}. O(1) time and 6 numbers of
 * state, whatever the half-life.
 *
 * <h2>Score</h2>
 * {@link #score(double)} = {@code |value - mean| / max(deviation, floor)}, against the baseline before the reading is
 * learned (score first, then decide whether to learn). It does not depend on the time: decaying all weights alike
 * changes neither the mean nor the deviation. Before {@code min-samples} readings are learned it is {@code NaN} (warming
 * up: every comparison with a sigma is false). The {@linkplain #floor() floor} keeps a flat sensor (a constant, or one
 * quantised coarser than its noise) from scoring infinity for its first change: {@value #RELATIVE_FLOOR} of
 * {@code |mean|}, at least {@value #ABSOLUTE_FLOOR}.
 *
 * <h2>Contract with the caller</h2>
 * <ul>
 *   <li><b>The baseline does not learn from readings while the alert is raised</b>: the rule scores every reading and
 *       calls {@link #update} only for those it did not raise on (and while it is not raised), so that a fault does
 *       not become the new normal and the alert clears when the sensor comes back. The consequence: a lasting level
 *       change would stay raised for ever: the caller {@linkplain #reject counts} each reading it scored and did not
 *       learn, and the baseline restarts when those outweigh the readings learned (in the same event-time weights:
 *       about one half-life into a lasting change), then takes the new level for the sensor's normal.
 *   <li><b>Out of order</b>: a reading older than the latest one learned is learned with the weight it would have had,
 *       {@code 2^-((latest - t) / half-life)}, without moving the baseline's time. Sums do not depend on their order,
 *       so the mean and deviation are the same whatever order the readings arrived in (equal to learning them sorted
 *       by event time): a replay of the archive, or a job restart that sees the readings in another order, gives the
 *       same baseline — but for a restart after a long silence (below), which is decided on the readings that have
 *       arrived. Not decaying by "negative time" (moving the baseline back) is what keeps this exact; treating a late
 *       reading as a new one (weight 1) would not be, and would give a reading delayed in transit more say than its
 *       neighbours. It is scored like any reading (the score does not depend on time).
 *   <li><b>Restart after a long silence</b>: a reading more than {@value #RESTART_HALF_LIVES} half-lives after the
 *       latest one counted (everything before it weighs less than 1/1000 of what it did) finds a past that no longer
 *       describes the sensor (back from maintenance, replaced, moved): the baseline forgets it and warms up again from
 *       this reading, instead of scoring against a mean and deviation learned from the few readings since; readings
 *       older than the restart that arrive later are not learned. With the default 10 min half-life that is a silence
 *       of 100 min. A sensor that reports less often than that never warms up (its half-life is too short for it).
 * </ul>
 */
public final class AnomalyBaseline implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The deviation never counts as less than this fraction of {@code |mean|}: 0.1 %, below the resolution of field
     * sensors at their usual levels (0.1 °C at 20 °C is 0.5 %, a humidity step 1 % RH at 50 %, a 12-bit ADC 0.025 % of
     * full scale only at full scale), so a sensor with real noise is never floored, while a flat one is scored against
     * 0.1 % of its level (at sigma 5, a step of 0.5 % of its level is critical).
     */
    public static final double RELATIVE_FLOOR = 1e-3;
    /** The floor of a flat sensor whose mean is (near) zero, where the relative floor vanishes: keeps the score finite. */
    public static final double ABSOLUTE_FLOOR = 1e-6;
    /** A silence of more than this many half-lives restarts the baseline and its warm-up (see the class comment). */
    public static final long RESTART_HALF_LIVES = 10;

    private static final long NEVER = Long.MIN_VALUE;

    private final long halfLifeMs;
    private final long minSamples;
    private final long restartAfterMs;
    /** ln 2 / half-life: a decay is one {@code exp} */
    private final double decayPerMs;
    private BaselineState state;

    /** A baseline that has learned nothing yet. */
    public AnomalyBaseline(Duration halfLife, long minSamples) {
        this(fresh(), halfLife, minSamples);
    }

    /** A baseline over existing state (restored from keyed state): reads and updates {@code state} in place. */
    public AnomalyBaseline(BaselineState state, Duration halfLife, long minSamples) {
        if (halfLife.toMillis() < 1) {
            throw new IllegalArgumentException("half-life must be at least 1 ms: " + halfLife);
        }
        if (minSamples < 1) {
            throw new IllegalArgumentException("min-samples must be at least 1: " + minSamples);
        }
        this.halfLifeMs = halfLife.toMillis();
        this.minSamples = minSamples;
        this.decayPerMs = Math.log(2) / halfLifeMs;
        this.restartAfterMs = halfLifeMs > Long.MAX_VALUE / RESTART_HALF_LIVES ? Long.MAX_VALUE : RESTART_HALF_LIVES * halfLifeMs;
        this.state = state;
    }

    /** The state of a sensor the rule has not seen yet (the schema's defaults, set one by one: no builder lookups). */
    public static BaselineState fresh() {
        BaselineState fresh = new BaselineState();
        fresh.setWeight(0.0);
        fresh.setMean(0.0);
        fresh.setM2(0.0);
        fresh.setSamples(0L);
        fresh.setLatest(NEVER);
        fresh.setSince(NEVER);
        fresh.setRejected(0.0);
        fresh.setWarm(false);
        return fresh;
    }

    /** The state to keep (the same object this baseline updates). */
    public BaselineState state() {
        return state;
    }

    /**
     * Whether {@code min-samples} readings have been learned since the baseline (re)started: {@link #score} is a number.
     * Once warm it stays warm until it restarts, whatever {@code min-samples} says later (a rule changed at runtime or
     * at a restore: a raised alert must not clear, and its fault be learned, because the count went up).
     */
    public boolean warm() {
        return state.getWarm() || state.getSamples() >= minSamples;
    }

    /**
     * Counts a reading at event time {@code time} that the caller scored and did not learn (it raised, was on its way
     * to, or came while the alert was raised). When the readings not learned outweigh those learned, in the same
     * event-time weights ({@code rejected > weight}), the baseline no longer describes the sensor — a new normal, or a
     * sensor with two states of which the warm-up saw one — and it restarts, with its warm-up (see the class comment).
     * Returns whether it restarted.
     */
    public boolean reject(long time) {
        double weight = age(time);
        if (Double.isNaN(weight)) {
            return false;
        }
        BaselineState s = state;
        s.setRejected(s.getRejected() + weight);
        if (s.getRejected() > s.getWeight()) {
            restart(time);
            return true;
        }
        return false;
    }

    /** {@code |value - mean| / max(deviation, floor)}, or NaN while warming up. Learns nothing. */
    public double score(double value) {
        if (!warm()) {
            return Double.NaN;
        }
        return Math.abs(value - state.getMean()) / Math.max(deviation(), floor());
    }

    /**
     * Learns {@code value} at event time {@code time} (epoch ms). The caller does not call it for readings while the
     * alert is raised (see the class comment). A NaN or infinite value is not learned (it would poison the sums for
     * ever).
     */
    public void update(double value, long time) {
        if (!Double.isFinite(value)) {
            return;
        }
        double weight = age(time);
        if (Double.isNaN(weight)) {
            return;
        }
        BaselineState s = state;
        double total = s.getWeight() + weight;
        double before = s.getMean();
        double after = before + weight / total * (value - before);
        s.setWeight(total);
        s.setMean(after);
        s.setM2(s.getM2() + weight * (value - before) * (value - after));
        s.setSamples(s.getSamples() + 1);
        if (s.getSamples() >= minSamples) {
            s.setWarm(true);
        }
    }

    /**
     * The weight of a reading at {@code time}, moving the baseline's time to it if it is the latest (decaying the
     * sums; restarting after a silence of more than {@value #RESTART_HALF_LIVES} half-lives): 1 for the latest, less
     * for an older one, NaN for one older than a restart (not to be counted).
     */
    private double age(long time) {
        BaselineState s = state;
        if (s.getLatest() == NEVER) {
            s.setLatest(time);
            return 1.0;
        }
        if (time >= s.getLatest()) {
            long gap = time - s.getLatest();
            s.setLatest(time);
            if (gap > restartAfterMs) {
                restart(time);
            } else if (gap > 0) {
                double decay = Math.exp(-(double) gap * decayPerMs);
                s.setWeight(s.getWeight() * decay);
                s.setM2(s.getM2() * decay);
                s.setRejected(s.getRejected() * decay);
            }
            return 1.0;
        }
        if (time < s.getSince()) {
            return Double.NaN;
        }
        return Math.exp(-(double) (s.getLatest() - time) * decayPerMs);
    }

    /**
     * Restarts the baseline (see {@link #restart}) if {@code time} is more than {@value #RESTART_HALF_LIVES}
     * half-lives after the latest reading it counted (learned or {@linkplain #reject rejected}): called before a
     * reading is scored, so that a sensor back from a long silence at another level is not scored against a past that
     * no longer describes it. Returns whether it restarted.
     */
    public boolean restartIfSilent(long time) {
        long latest = state.getLatest();
        if (latest != NEVER && time > latest && time - latest > restartAfterMs) {
            restart(time);
            return true;
        }
        return false;
    }

    /**
     * Forgets everything learned: the baseline warms up again from the next reading, and readings older than
     * {@code time} are no longer learned. After a long silence ({@link #restartIfSilent}), and when the readings not
     * learned outweigh those learned ({@link #reject}).
     */
    public void restart(long time) {
        BaselineState s = state;
        s.setWeight(0.0);
        s.setMean(0.0);
        s.setM2(0.0);
        s.setSamples(0L);
        s.setRejected(0.0);
        s.setWarm(false);
        s.setLatest(Math.max(s.getLatest(), time));
        s.setSince(time);
    }

    /** The weighted mean (0 before the first reading). */
    public double mean() {
        return state.getMean();
    }

    /** The weighted standard deviation (0 before the first reading). */
    public double deviation() {
        double weight = state.getWeight();
        return weight > 0 ? Math.sqrt(Math.max(0.0, state.getM2()) / weight) : 0.0;
    }

    /** The least deviation a score divides by: {@link #RELATIVE_FLOOR} of {@code |mean|}, at least {@link #ABSOLUTE_FLOOR}. */
    public double floor() {
        return Math.max(RELATIVE_FLOOR * Math.abs(state.getMean()), ABSOLUTE_FLOOR);
    }

    /** The latest event time counted (learned or rejected); {@link Long#MIN_VALUE} before the first reading. */
    public long latest() {
        return state.getLatest();
    }

    /** The weight of the readings counted and not learned, as of the latest (see {@link #reject}). */
    public double rejected() {
        return state.getRejected();
    }

    /** Readings learned since the baseline (re)started. */
    public long samples() {
        return state.getSamples();
    }

    public Duration halfLife() {
        return Duration.ofMillis(halfLifeMs);
    }

    public long minSamples() {
        return minSamples;
    }

    @Override
    public String toString() {
        return "AnomalyBaseline{mean=" + mean() + ", deviation=" + deviation() + ", samples=" + samples()
                + ", weight=" + state.getWeight() + ", latest=" + state.getLatest() + "}";
    }
}
