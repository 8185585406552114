package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.state.BaselineState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Property-based: after every update, the incremental {@link AnomalyBaseline} equals an offline computation from
 * scratch over the same list of (time, value) updates — weights {@code 2^-((latest - t) / half-life)}, a two-pass
 * weighted mean and variance — within 1e-9 relative, whatever the disorder (readings delivered up to three half-lives
 * late), gaps (none, small, about one half-life, across the restart threshold), value scales (1e-3 to 1e6 around
 * offsets up to 1e6, with spikes) and with the state serialised (Avro binary, as Flink's Avro serializer keeps it) and
 * restored in the middle, the rest continuing from the copy.
 *
 * <p>The oracle shares with the class only the bookkeeping of which readings count (the contract: a reading more than
 * {@link AnomalyBaseline#RESTART_HALF_LIVES} half-lives after the latest restarts the baseline; one older than the
 * restart is not learned; non-finite values are not learned); the numbers are recomputed from the retained list.
 *
 * <p>"Relative" is relative to the larger of the two numbers compared, but for a mean or deviation not below 1e-4 of
 * the data's magnitude (max |value|: a deviation of 5e-6 over values of -50 carries the rounding of the values
 * themselves, 50 × 2^-53 each, a relative 1e-9 on its own; a mean of 0 ± 1e-17 over values of ±1 has no meaningful
 * relative error), and for a score not below 1 (a score is compared with sigmas of about 1 to 10: what matters there is
 * an absolute 1e-9; a probe next to the mean has a score of ~0 made of a cancellation).
 */
class AnomalyBaselineOracleTest {
    private static final double RELATIVE = 1e-9;

    record Step(double gapInHalfLives, double value, double delayInHalfLives) {}

    record Case(long halfLifeMs, int minSamples, double offset, double scale, List<Step> steps, double snapshotAt) {}

    record Update(long time, double value) {}

    @Property(tries = 500)
    void incrementalEqualsOffline(@ForAll("cases") Case c) {
        List<Update> arrivals = arrivals(c);
        int snapshotAt = (int) Math.floor(c.snapshotAt() * arrivals.size());
        Duration halfLife = Duration.ofMillis(c.halfLifeMs());
        AnomalyBaseline baseline = new AnomalyBaseline(halfLife, c.minSamples());
        List<Update> seen = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            if (i == snapshotAt) {
                baseline = new AnomalyBaseline(restore(snapshot(baseline.state())), halfLife, c.minSamples());
            }
            Update u = arrivals.get(i);
            baseline.update(u.value(), u.time());
            seen.add(u);
            Offline expected = Offline.of(seen, c.halfLifeMs(), c.minSamples());
            String at = "after update " + i + " " + u + " of " + arrivals.size() + ", " + baseline + " vs " + expected;
            assertThat(baseline.samples()).as(at).isEqualTo(expected.samples());
            assertThat(baseline.warm()).as(at).isEqualTo(expected.warm());
            assertThat(baseline.state().getLatest()).as(at).isEqualTo(expected.latest());
            double magnitude = expected.magnitude();
            assertClose(baseline.state().getWeight(), expected.weight(), 0, at + ": weight");
            magnitude *= 1e-4;
            assertClose(baseline.mean(), expected.mean(), magnitude, at + ": mean");
            assertClose(baseline.deviation(), expected.deviation(), magnitude, at + ": deviation");
            for (double probe : new double[] {u.value(), c.offset() + 4 * c.scale(), expected.mean() - 7 * expected.deviation()}) {
                double score = baseline.score(probe);
                if (expected.warm()) {
                    assertClose(score, expected.score(probe), 1, at + ": score of " + probe);
                } else {
                    assertThat(score).as(at).isNaN();
                }
            }
        }
    }

    /** |actual - expected| <= 1e-9 × max(|actual|, |expected|, least). */
    private static void assertClose(double actual, double expected, double least, String what) {
        if (Double.compare(actual, expected) == 0) {
            return; // also NaN and infinity, the scores of a non-finite probe
        }
        double tolerance = RELATIVE * Math.max(Math.max(Math.abs(actual), Math.abs(expected)), least);
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected).isLessThanOrEqualTo(tolerance);
    }

    /** Recomputed from scratch from the updates in arrival order. */
    record Offline(long samples, boolean warm, long latest, double weight, double mean, double deviation, double magnitude) {
        static Offline of(List<Update> arrivals, long halfLifeMs, long minSamples) {
            List<Update> learned = new ArrayList<>();
            Long latest = null;
            long since = Long.MIN_VALUE;
            for (Update u : arrivals) {
                if (!Double.isFinite(u.value())) {
                    continue;
                }
                if (latest == null || u.time() >= latest) {
                    if (latest != null && u.time() - latest > AnomalyBaseline.RESTART_HALF_LIVES * halfLifeMs) {
                        learned.clear();
                        since = u.time();
                    }
                    latest = u.time();
                } else if (u.time() < since) {
                    continue;
                }
                learned.add(u);
            }
            double weight = 0;
            double sum = 0;
            double magnitude = 0;
            for (Update u : learned) {
                double w = Math.pow(2, -(double) (latest - u.time()) / halfLifeMs);
                weight += w;
                sum += w * u.value();
                magnitude = Math.max(magnitude, Math.abs(u.value()));
            }
            double mean = weight > 0 ? sum / weight : 0;
            double squares = 0;
            for (Update u : learned) {
                double w = Math.pow(2, -(double) (latest - u.time()) / halfLifeMs);
                squares += w * (u.value() - mean) * (u.value() - mean);
            }
            double deviation = weight > 0 ? Math.sqrt(squares / weight) : 0;
            return new Offline(learned.size(), learned.size() >= minSamples, latest == null ? Long.MIN_VALUE : latest,
                    weight, mean, deviation, magnitude);
        }

        double score(double value) {
            double floor = Math.max(AnomalyBaseline.RELATIVE_FLOOR * Math.abs(mean), AnomalyBaseline.ABSOLUTE_FLOOR);
            return Math.abs(value - mean) / Math.max(deviation, floor);
        }
    }

    /** Event times from the gaps; delivered in order of event time + delay (stable: equal ones keep their order). */
    private static List<Update> arrivals(Case c) {
        record Sent(Update update, double arrival) {}
        List<Sent> sent = new ArrayList<>();
        long time = 1_700_000_000_000L;
        for (Step step : c.steps()) {
            time += Math.round(step.gapInHalfLives() * c.halfLifeMs());
            double value = Double.isFinite(step.value()) ? c.offset() + c.scale() * step.value() : step.value();
            sent.add(new Sent(new Update(time, value), time + step.delayInHalfLives() * c.halfLifeMs()));
        }
        sent.sort(Comparator.comparingDouble(Sent::arrival));
        return sent.stream().map(Sent::update).toList();
    }

    private static byte[] snapshot(BaselineState state) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(BaselineState.class).write(state, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BaselineState restore(byte[] bytes) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            return new SpecificDatumReader<>(BaselineState.class).read(null, decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Double> gap = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(60, Arbitraries.doubles().between(0, 0.01)),
                net.jqwik.api.Tuple.of(25, Arbitraries.doubles().between(0, 1.5)),
                net.jqwik.api.Tuple.of(5, Arbitraries.doubles().between(8, 12)));
        Arbitrary<Double> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(90, Arbitraries.doubles().between(-3, 3)),
                net.jqwik.api.Tuple.of(8, Arbitraries.doubles().between(-60, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY)));
        Arbitrary<Double> delay = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(80, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(20, Arbitraries.doubles().between(0, 3)));
        Arbitrary<Step> step = Combinators.combine(gap, value, delay).as(Step::new);
        return Combinators.combine(
                        Arbitraries.of(1_000L, 60_000L, 600_000L, 3_600_000L),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.of(0.0, 20.0, -50.0, 1e6),
                        Arbitraries.of(1e-3, 0.5, 10.0, 1e6),
                        step.list().ofMinSize(1).ofMaxSize(200),
                        Arbitraries.doubles().between(0, 1))
                .as(Case::new);
    }
}
