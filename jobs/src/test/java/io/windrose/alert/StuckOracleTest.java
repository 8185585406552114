package io.windrose.alert;

import static io.windrose.alert.AlertHarness.harness;
import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * Property-based: a stuck rule's transitions in the live operator ({@link ReadingAlertFunction} in Flink's harness),
 * fed a sensor's readings out of order (within the watermark's out-of-orderness) with watermarks now and then and a
 * snapshot and restore somewhere in the middle, equal an offline scan of the same readings sorted by event time: runs
 * of values within the tolerance of the run's first value, RAISED at the first reading {@code for} after the run's
 * start, CLEARED at the first reading that leaves it. 500 cases per run.
 */
class StuckOracleTest {
    private static final long FOR_MS = 5_000;
    private static final double TOLERANCE = 0.5;
    private static final String RULE = "[{name: frozen, kind: stuck, field: temperature, for: 5s, tolerance: 0.5,"
            + " level: critical}]";

    /** One generated series: its shape; its content comes from the seed. */
    record Case(int readings, int disorderMs, int watermarkEvery, int repeatPercent, int restoreAt, long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 150), Arbitraries.of(1, 500, 3_000),
                Arbitraries.of(1, 3, 10), Arbitraries.of(50, 80, 95), Arbitraries.integers().between(0, 150),
                Arbitraries.longs()).as(Case::new);
    }

    @Property(tries = 500)
    void transitionsEqualAnOfflineScanOfTheSeriesInEventTimeOrder(@ForAll("cases") Case c) throws Exception {
        RuleBook book = rules(RULE);
        Random random = new Random(c.seed());
        List<SensorReading> readings = new ArrayList<>();
        long clock = 1_700_000_000_000L;
        double value = 20;
        for (int i = 0; i < c.readings(); i++) {
            clock += random.nextInt(1_500);
            long time = clock - random.nextInt(c.disorderMs());
            int roll = random.nextInt(100);
            if (roll >= c.repeatPercent()) {
                value = 10 + random.nextInt(20) * 0.5; // a new value, or by chance one within the tolerance
            }
            double noisy = random.nextBoolean() ? value : value + (random.nextDouble() - 0.5) * TOLERANCE;
            readings.add(Readings.of("s-1", time, "temperature", noisy));
        }

        List<String> live = new ArrayList<>();
        long highest = Long.MIN_VALUE;
        var h = open(harness(book));
        try {
            for (int i = 0; i < readings.size(); i++) {
                if (i == c.restoreAt()) {
                    OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
                    live.addAll(transitions(h.extractOutputValues()));
                    h.close();
                    h = harness(book);
                    h.initializeState(snapshot);
                    open(h);
                }
                SensorReading reading = readings.get(i);
                h.processElement(reading, reading.getEventTime().toEpochMilli());
                highest = Math.max(highest, reading.getEventTime().toEpochMilli());
                if ((i + 1) % c.watermarkEvery() == 0) {
                    h.processWatermark(new Watermark(highest - c.disorderMs()));
                }
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            live.addAll(transitions(h.extractOutputValues()));
        } finally {
            h.close();
        }
        assertThat(live).as("live transitions of %s", c).isEqualTo(scan(readings));
    }

    /** The offline scan: the readings sorted by event time (stable: equal times in arrival order), one pass. */
    private static List<String> scan(List<SensorReading> readings) {
        List<SensorReading> sorted = new ArrayList<>(readings);
        sorted.sort(Comparator.comparing(SensorReading::getEventTime));
        List<String> transitions = new ArrayList<>();
        boolean raised = false;
        long runStart = 0;
        double runValue = Double.NaN;
        for (SensorReading reading : sorted) {
            long time = reading.getEventTime().toEpochMilli();
            double value = reading.getFields().get("temperature");
            boolean same = Math.abs(value - runValue) <= TOLERANCE + 1e-9 * Math.max(Math.abs(value), Math.abs(runValue));
            if (!same) {
                runStart = time;
                runValue = value;
                if (raised) {
                    transitions.add("CLEARED " + time + " " + value);
                    raised = false;
                }
            } else if (!raised && time - runStart >= FOR_MS) {
                transitions.add("RAISED " + time + " " + value);
                raised = true;
            }
        }
        return transitions;
    }

    private static List<String> transitions(List<AlertEvent> events) {
        return events.stream().map(e -> e.getState() + " " + e.getEventTime().toEpochMilli() + " " + e.getValue())
                .toList();
    }
}
