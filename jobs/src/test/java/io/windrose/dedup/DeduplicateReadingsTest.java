package io.windrose.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The per-sensor ring of recent fingerprints, in Flink's keyed operator harness (state, snapshot, restore). */
class DeduplicateReadingsTest {
    @Test
    void aRepeatWithinTheLastNReadingsIsDroppedAndOneOlderThanThatPasses() throws Exception {
        try (var harness = harness(3)) {
            harness.open();
            feed(harness, "s-1", 1, 2, 3);
            feed(harness, "s-1", 1, 3); // both still among the last three
            feed(harness, "s-1", 4); // pushes reading 1 out of the ring
            feed(harness, "s-1", 1); // so it is new again
            assertThat(times(harness)).containsExactly(1L, 2L, 3L, 4L, 1L);
        }
    }

    @Test
    void sameTimeDifferentValuesAndOtherSensorsAreNotDuplicates() throws Exception {
        try (var harness = harness(8)) {
            harness.open();
            harness.processElement(Readings.of("s-1", 1, Map.of("t", 1.0, "h", 2.0)), 1);
            harness.processElement(Readings.of("s-1", 1, Map.of("h", 2.0, "t", 1.0)), 1); // same, other order
            harness.processElement(Readings.of("s-1", 1, Map.of("t", 1.5, "h", 2.0)), 1);
            harness.processElement(Readings.of("s-2", 1, Map.of("t", 1.0, "h", 2.0)), 1);
            assertThat(harness.extractOutputValues()).extracting(SensorReading::getSensorId, r -> r.getFields().get("t"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("s-1", 1.0),
                            org.assertj.core.groups.Tuple.tuple("s-1", 1.5),
                            org.assertj.core.groups.Tuple.tuple("s-2", 1.0));
        }
    }

    @Test
    void theRingSurvivesSnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(4)) {
            harness.open();
            feed(harness, "s-1", 1, 2);
            snapshot = harness.snapshot(1L, 1L);
        }
        try (var restored = harness(4)) {
            restored.initializeState(snapshot);
            restored.open();
            feed(restored, "s-1", 2, 1, 3); // a redelivery after the restore: 1 and 2 are known
            assertThat(times(restored)).containsExactly(3L);
        }
    }

    @Test
    void atLeastOneReadingMustBeRemembered() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DeduplicateReadings(0, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprintsAreTheOnesEarlierVersionsKeptInState() {
        // rings in checkpoints and savepoints hold fingerprints: a changed function would let a redelivery straddling
        // an upgrade through, so the faster one must give exactly what the TreeMap-based one gave
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2_000; i++) {
            Map<String, Double> fields = new java.util.HashMap<>();
            for (int f = 1 + random.nextInt(8); f > 0; f--) {
                fields.put("f" + random.nextInt(50) + (random.nextBoolean() ? "_x" : ""), random.nextGaussian() * 100);
            }
            SensorReading reading = SensorReading.newBuilder().setMeasurement("m").setSensorId("s")
                    .setTags(Map.of()).setEventTime(java.time.Instant.ofEpochMilli(random.nextLong() >>> 20))
                    .setFields(fields).setTopic("t").build();
            assertThat(DeduplicateReadings.fingerprint(reading)).isEqualTo(treeMapFingerprint(reading));
        }
    }

    /** The fingerprint as DeduplicateReadings computed it up to issue 17. */
    private static long treeMapFingerprint(SensorReading reading) {
        long h = mix(reading.getEventTime().toEpochMilli());
        for (Map.Entry<String, Double> field : new java.util.TreeMap<>(reading.getFields()).entrySet()) {
            h = mix(h * 31 + field.getKey().hashCode());
            h = mix(h * 31 + Double.doubleToLongBits(field.getValue()));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> harness(int lastReadings)
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateReadings(lastReadings, Duration.ofHours(1))), new SensorKey(),
                Types.STRING);
    }

    /** Readings of {@code sensor} at these event times, each with value = time. */
    private static void feed(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> harness,
            String sensor, long... times) throws Exception {
        for (long t : times) {
            harness.processElement(Readings.of(sensor, t, "t", t), t);
        }
    }

    private static List<Long> times(KeyedOneInputStreamOperatorTestHarness<String, SensorReading, SensorReading> harness) {
        return harness.extractOutputValues().stream().map(r -> r.getEventTime().toEpochMilli()).toList();
    }
}
