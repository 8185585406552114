package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import io.windrose.window.state.FieldAccumulator;
import io.windrose.window.state.WindowAccumulator;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldStatsAggregateTest {
    private final FieldStatsAggregate aggregate = new FieldStatsAggregate();

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

    private static SensorReading reading(long time, double t) {
        return SensorReading.newBuilder().setMeasurement("m").setSensorId("s-1").setTags(Map.of())
                .setEventTime(Instant.ofEpochMilli(time)).setFields(Map.of("t", t)).build();
    }
}
