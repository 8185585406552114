package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import io.windrose.schema.ExtraFieldStats;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorReading;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldStatsAggregateTest {
    private static final WindowStatistics ALL = new WindowStatistics(List.of(Stat.values()), 0.01);
    private final FieldStatsAggregate aggregate = new FieldStatsAggregate(ALL);

    @Test
    void countsMinMaxSumAndLastByEventTimeNotArrival() {
        WindowAccumulator acc = aggregate.createAccumulator();
        acc = aggregate.add(reading(3_000, 5.0), acc);
        acc = aggregate.add(reading(1_000, 9.0), acc); // arrives later, happened earlier
        acc = aggregate.add(reading(2_000, -1.0), acc);
        FieldAccumulator t = acc.getFields().get("t");
        assertThat(t.getCount()).isEqualTo(3);
        assertThat(t.getMin()).isEqualTo(-1.0);
        assertThat(t.getMax()).isEqualTo(9.0);
        assertThat(t.getSum()).isEqualTo(13.0);
        assertThat(t.getLast()).isEqualTo(5.0);
        assertThat(acc.getSensorId()).isEqualTo("s-1");
    }

    @Test
    void mergeCombinesAsIfOneAccumulatorSawEverything() {
        WindowAccumulator a = aggregate.add(reading(1_000, 1.0), aggregate.createAccumulator());
        WindowAccumulator b = aggregate.add(reading(4_000, 7.0), aggregate.add(reading(2_000, 3.0),
                aggregate.createAccumulator()));
        FieldAccumulator t = aggregate.merge(a, b).getFields().get("t");
        assertThat(t.getCount()).isEqualTo(3);
        assertThat(t.getSum()).isEqualTo(11.0);
        assertThat(t.getMin()).isEqualTo(1.0);
        assertThat(t.getMax()).isEqualTo(7.0);
        assertThat(t.getLast()).isEqualTo(7.0);
    }

    @Test
    void oneHundredReadingsOneToOneHundred() {
        WindowAccumulator acc = aggregate.createAccumulator();
        for (int v = 100; v >= 1; v--) { // arrival order does not matter
            acc = aggregate.add(reading(v * 10L, v), acc);
        }
        FieldStats stats = WindowStatistics.stats(acc.getFields().get("t"));
        ExtraFieldStats extra = ALL.extra(acc.getFields().get("t"));
        assertThat(stats.getCount()).isEqualTo(100);
        assertThat(stats.getMean()).isEqualTo(50.5);
        assertThat(extra.getStdev()).isCloseTo(29.0115, within(0.0001)); // sample stdev of 1..100
        assertThat(extra.getFirst()).isEqualTo(1.0);
        assertThat(extra.getP50()).isCloseTo(50.0, withPercentage(1));
        assertThat(extra.getP90()).isCloseTo(90.0, withPercentage(1));
        assertThat(extra.getP95()).isCloseTo(95.0, withPercentage(1));
        assertThat(extra.getP99()).isCloseTo(99.0, withPercentage(1));
    }

    @Test
    void partialsMergeToWhatOneAccumulatorComputes() {
        WindowAccumulator whole = aggregate.createAccumulator();
        WindowAccumulator[] parts = {aggregate.createAccumulator(), aggregate.createAccumulator(),
                aggregate.createAccumulator()};
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 1_000; i++) {
            double v = random.nextGaussian() * 50 - 10; // negative, zero-crossing and positive values
            whole = aggregate.add(reading(i, v), whole);
            parts[i % 3] = aggregate.add(reading(i, v), parts[i % 3]);
        }
        WindowAccumulator merged = aggregate.merge(aggregate.merge(parts[0], parts[1]), parts[2]);
        ExtraFieldStats a = ALL.extra(whole.getFields().get("t"));
        ExtraFieldStats b = ALL.extra(merged.getFields().get("t"));
        assertThat(b.getStdev()).isCloseTo(a.getStdev(), within(1e-9));
        assertThat(b.getFirst()).isEqualTo(a.getFirst());
        assertThat(List.of(b.getP50(), b.getP90(), b.getP95(), b.getP99()))
                .isEqualTo(List.of(a.getP50(), a.getP90(), a.getP95(), a.getP99()));
        assertThat(merged.getFields().get("t").getCount()).isEqualTo(1_000);
    }

    @Test
    void noStdevForOneReadingAndOnlyWhatIsAskedFor() {
        WindowStatistics some = new WindowStatistics(List.of(Stat.COUNT, Stat.STDEV), 0.01);
        FieldStatsAggregate counting = new FieldStatsAggregate(some);
        WindowAccumulator acc = counting.add(reading(1, 4.0), counting.createAccumulator());
        assertThat(acc.getFields().get("t").getSketch()).as("no sketch without percentiles").isNull();
        ExtraFieldStats extra = some.extra(acc.getFields().get("t"));
        assertThat(extra.getStdev()).isNull();
        assertThat(extra.getP50()).isNull();
        assertThat(new WindowStatistics(List.of(Stat.COUNT, Stat.MEAN), 0.01).extra(acc.getFields().get("t"))).isNull();
    }

    private static SensorReading reading(long time, double t) {
        return SensorReading.newBuilder().setMeasurement("m").setSensorId("s-1").setTags(Map.of())
                .setEventTime(Instant.ofEpochMilli(time)).setFields(Map.of("t", t)).build();
    }
}
