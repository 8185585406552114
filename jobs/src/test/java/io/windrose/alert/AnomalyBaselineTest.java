package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnomalyBaselineTest {
    private static final Duration HALF_LIFE = Duration.ofMinutes(10);
    private static final long H = HALF_LIFE.toMillis();
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void noScoreWhileWarmingUp() {
        AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, 30);
        assertThat(baseline.score(20)).isNaN();
        for (int i = 0; i < 29; i++) {
            baseline.update(20 + (i % 2 == 0 ? 0.5 : -0.5), T0 + i * 1000L);
            assertThat(baseline.warm()).isFalse();
            assertThat(baseline.score(1000)).as("after %d readings", i + 1).isNaN();
        }
        baseline.update(20, T0 + 29_000);
        assertThat(baseline.warm()).isTrue();
        assertThat(baseline.score(1000)).isGreaterThan(5);
    }

    /** The Done-when: steady at 20 ± 0.5, then 25 → critical at sigma {warning: 3, critical: 5}. */
    @Test
    void aJumpFromASteadyTwentyToTwentyFiveIsCritical() {
        Random random = new Random(30);
        AnomalyBaseline justWarm = new AnomalyBaseline(HALF_LIFE, 30);
        AnomalyBaseline settled = new AnomalyBaseline(HALF_LIFE, 30);
        for (int i = 0; i < 3600; i++) {
            double value = 20 + 0.5 * random.nextGaussian();
            long time = T0 + i * 1000L;
            if (i < 30) {
                justWarm.update(value, time);
            }
            if (settled.warm()) {
                assertThat(settled.score(value)).as("steady reading %d", i).isLessThan(5);
            }
            settled.update(value, time);
        }
        for (AnomalyBaseline baseline : new AnomalyBaseline[] {justWarm, settled}) {
            assertThat(baseline.mean()).isCloseTo(20, within(0.5));
            assertThat(baseline.deviation()).isBetween(0.3, 0.8);
            assertThat(baseline.score(25)).as("%s", baseline).isGreaterThan(5);
            assertThat(baseline.score(20.6)).as("%s", baseline).isLessThan(3);
        }
    }

    @Test
    void followsASlowDrift() {
        Random random = new Random(7);
        AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, 30);
        int above3 = 0;
        int readings = 6 * 3600;
        for (int i = 0; i < readings; i++) {
            double truth = 20 + i / 3600.0; // +1 °C an hour
            double value = truth + 0.3 * random.nextGaussian();
            if (baseline.warm() && baseline.score(value) >= 3) {
                above3++;
            }
            baseline.update(value, T0 + i * 1000L);
        }
        // the weighted mean lags a linear drift by rate × mean age (half-life / ln 2 = 866 s): 0.24 °C here
        assertThat(baseline.mean()).isCloseTo(26 - 866.0 / 3600, within(0.05));
        assertThat(above3).as("readings at 3 sigma or more, of %d", readings).isLessThan(readings / 100);
    }

    @Test
    void aGapOfOneHalfLifeHalvesTheOldWeight() {
        AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, 1);
        baseline.update(10, T0);
        baseline.update(20, T0 + H);
        assertThat(baseline.state().getWeight()).isCloseTo(1.5, within(1e-12));
        assertThat(baseline.mean()).isCloseTo((0.5 * 10 + 20) / 1.5, within(1e-12));
        baseline.update(40, T0 + 3 * H); // two more half-lives: the first two weigh 0.375 together
        double w1 = 0.125;
        double w2 = 0.25;
        assertThat(baseline.state().getWeight()).isCloseTo(w1 + w2 + 1, within(1e-12));
        double mean = (w1 * 10 + w2 * 20 + 40) / (w1 + w2 + 1);
        assertThat(baseline.mean()).isCloseTo(mean, within(1e-12));
        double variance = (w1 * Math.pow(10 - mean, 2) + w2 * Math.pow(20 - mean, 2) + Math.pow(40 - mean, 2)) / (w1 + w2 + 1);
        assertThat(baseline.deviation()).isCloseTo(Math.sqrt(variance), within(1e-12));
    }

    @Test
    void decayDependsOnEventTimeNotOnTheNumberOfReadings() {
        // the same span, one sensor reporting every second and one every ten: the old level weighs the same share
        AnomalyBaseline fast = new AnomalyBaseline(HALF_LIFE, 1);
        AnomalyBaseline slow = new AnomalyBaseline(HALF_LIFE, 1);
        fast.update(0, T0);
        slow.update(0, T0);
        for (long t = 1000; t <= 2 * H; t += 1000) {
            fast.update(10, T0 + t);
            if (t % 10_000 == 0) {
                slow.update(10, T0 + t);
            }
        }
        // the first reading's share of the weight is 2^-2 / W; W differs, but both forget it as two half-lives
        assertThat(fast.state().getWeight() * fast.mean() / 10).isCloseTo(fast.state().getWeight() - 0.25, within(1e-9));
        assertThat(slow.state().getWeight() * slow.mean() / 10).isCloseTo(slow.state().getWeight() - 0.25, within(1e-9));
    }

    @Test
    void aLateReadingIsLearnedWithTheWeightOfItsAgeAndTheOrderDoesNotMatter() {
        AnomalyBaseline late = new AnomalyBaseline(HALF_LIFE, 1);
        late.update(10, T0 + H);
        double scoreBefore = late.score(20);
        late.update(20, T0); // one half-life older than the latest: weighs 0.5, the baseline's time stays
        assertThat(scoreBefore).isPositive();
        assertThat(late.state().getLatest()).isEqualTo(T0 + H);
        assertThat(late.mean()).isCloseTo((10 + 0.5 * 20) / 1.5, within(1e-12));

        AnomalyBaseline sorted = new AnomalyBaseline(HALF_LIFE, 1);
        sorted.update(20, T0);
        sorted.update(10, T0 + H);
        assertThat(late.mean()).isCloseTo(sorted.mean(), within(1e-12));
        assertThat(late.deviation()).isCloseTo(sorted.deviation(), within(1e-12));
        assertThat(late.state().getWeight()).isCloseTo(sorted.state().getWeight(), within(1e-12));
    }

    @Test
    void aLongSilenceRestartsTheWarmUpAndForgetsWhatCameBefore() {
        AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, 5);
        for (int i = 0; i < 10; i++) {
            baseline.update(20 + i % 2, T0 + i * 1000L);
        }
        assertThat(baseline.warm()).isTrue();
        long back = T0 + 9000 + AnomalyBaseline.RESTART_HALF_LIVES * H + 1;
        baseline.update(50, back);
        assertThat(baseline.warm()).isFalse();
        assertThat(baseline.samples()).isEqualTo(1);
        assertThat(baseline.mean()).isEqualTo(50);
        baseline.update(20, T0 + 10_000); // from before the silence, arriving now: not learned
        assertThat(baseline.samples()).isEqualTo(1);
        assertThat(baseline.mean()).isEqualTo(50);

        AnomalyBaseline notQuite = new AnomalyBaseline(HALF_LIFE, 5);
        for (int i = 0; i < 10; i++) {
            notQuite.update(20 + i % 2, T0 + i * 1000L);
        }
        notQuite.update(50, T0 + 9000 + AnomalyBaseline.RESTART_HALF_LIVES * H);
        assertThat(notQuite.samples()).isEqualTo(11);
    }

    @Test
    void aFlatSensorIsScoredAgainstTheFloor() {
        AnomalyBaseline flat = new AnomalyBaseline(HALF_LIFE, 3);
        for (int i = 0; i < 10; i++) {
            flat.update(20, T0 + i * 1000L);
        }
        assertThat(flat.deviation()).isZero();
        assertThat(flat.floor()).isCloseTo(0.02, within(1e-15));
        assertThat(flat.score(20)).isZero();
        assertThat(flat.score(20.1)).isCloseTo(5, within(1e-9));

        AnomalyBaseline zero = new AnomalyBaseline(HALF_LIFE, 3);
        for (int i = 0; i < 10; i++) {
            zero.update(0, T0 + i * 1000L);
        }
        assertThat(zero.floor()).isEqualTo(AnomalyBaseline.ABSOLUTE_FLOOR);
        assertThat(zero.score(1)).isFinite().isEqualTo(1 / AnomalyBaseline.ABSOLUTE_FLOOR);
    }

    @Test
    void theScoreDoesNotLearnAndNonFiniteValuesAreNotLearned() {
        AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, 2);
        baseline.update(1, T0);
        baseline.update(3, T0 + 1000);
        double score = baseline.score(100);
        assertThat(baseline.score(100)).isEqualTo(score);
        baseline.update(Double.NaN, T0 + 2000);
        baseline.update(Double.POSITIVE_INFINITY, T0 + 3000);
        assertThat(baseline.samples()).isEqualTo(2);
        assertThat(baseline.score(100)).isEqualTo(score);
    }
}
