package io.windrose.alert;

import static io.windrose.alert.AlertHarness.open;
import static io.windrose.alert.AlertHarness.rules;
import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Readings;
import io.windrose.window.SensorKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Property-based: the alerts of history ({@link HistoryAlertFunction} over the archived readings and the watermark each
 * was archived with) equal the live job's ({@link ReadingAlertFunction} fed the same readings and watermarks), field
 * by field and in each sensor's order, for every kind of rule on readings but deadman (the live job's deadman runs on the wall clock):
 * thresholds with levels and hysteresis, {@code for} and {@code clear-after}, rates, stuck sensors, flapping, scopes,
 * anomaly scores (whose baseline also learns the late readings, taken behind the watermark).
 * Generated streams: 1-4 sensors, values around the thresholds and now and then a sensor's previous values again (give
 * or take less than a stuck rule's tolerance), disorder, duplicates, readings behind the watermark, watermark
 * steps of every size. 500 cases per run, each in Flink's operator harnesses.
 */
class HistoryAlertsEqualLiveTest {
    private static final String RULES = "["
            + "{name: hot, field: temperature, above: {warning: 30, critical: 40}, reset: {warning: 27, critical: 37}},"
            + "{name: cold, field: temperature, below: 5, where: {site: a}},"
            + "{name: held, field: temperature, above: 33, for: 4s, clear-after: 3s},"
            + "{name: rising, kind: rate, field: temperature, above: 2, per: 1s, over: 5s},"
            + "{name: flappy, field: humidity, above: 60, flapping: {history: 4, high: 0.5, low: 0.3}},"
            + "{name: pump, field: humidity, above: 70, for: 2s, sensors: 's-1*'},"
            + "{name: frozen, kind: stuck, field: temperature, for: 3s, tolerance: 0.2, level: critical},"
            + "{name: frozen-flappy, kind: stuck, field: humidity, for: 2s, sensors: 's-?',"
            + " flapping: {history: 4, high: 0.5, low: 0.3}},"
            + "{name: odd, kind: anomaly, field: temperature, sigma: {warning: 1.5, critical: 2.5},"
            + " reset: {warning: 1, critical: 2}, half-life: 3s, min-samples: 5}"
            + "]";

    /** One generated stream: its shape; its content comes from the seed. */
    record Case(int sensors, int readings, int disorderMs, int lateEvery, int duplicateEvery, int watermarkEvery,
            long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 120),
                Arbitraries.of(0, 500, 3_000), Arbitraries.of(0, 5, 17), Arbitraries.of(0, 7, 23),
                Arbitraries.of(1, 3, 10), Arbitraries.longs()).as(Case::new);
    }

    @Property(tries = 500)
    void historyRaisesAndClearsWhatTheLiveJobDid(@ForAll("cases") Case c) throws Exception {
        RuleBook book = rules(RULES);
        List<Step> steps = steps(c);
        List<Tuple2<SensorReading, Long>> archive = new ArrayList<>();
        List<AlertEvent> live;
        long finalWatermark = Long.MIN_VALUE;
        try (var h = open(AlertHarness.harness(book))) {
            for (Step step : steps) {
                if (step.reading == null) {
                    h.processWatermark(new Watermark(step.watermark));
                    finalWatermark = step.watermark;
                } else {
                    h.processElement(step.reading, step.reading.getEventTime().toEpochMilli());
                    archive.add(Tuple2.of(step.reading, finalWatermark)); // as ArchiveStamp stamps it
                }
            }
            live = h.extractOutputValues();
        }
        List<AlertEvent> history;
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new HistoryAlertFunction(book, 0L, Long.MAX_VALUE, Map.of())),
                (Tuple2<SensorReading, Long> stamped) -> new SensorKey().getKey(stamped.f0), Types.STRING)) {
            h.open();
            for (Tuple2<SensorReading, Long> stamped : archive) {
                h.processElement(stamped, stamped.f0.getEventTime().toEpochMilli());
            }
            if (finalWatermark != Long.MIN_VALUE) {
                h.processWatermark(new Watermark(finalWatermark)); // history reads on to where the live job had got
            }
            history = h.extractOutputValues();
        }
        // per sensor in the same order; across sensors the live job's order follows when the watermark came, which no
        // single reading records (nor does it matter: each sensor's transitions are a sequence of their own)
        assertThat(bySensor(history)).as("history's transitions of %s", c).isEqualTo(bySensor(live));
    }

    private static Map<String, List<AlertEvent>> bySensor(List<AlertEvent> events) {
        Map<String, List<AlertEvent>> bySensor = new java.util.TreeMap<>();
        events.forEach(event -> bySensor.computeIfAbsent(event.getSensorId(), s -> new ArrayList<>()).add(event));
        return bySensor;
    }

    /** A reading, or a watermark. */
    record Step(SensorReading reading, long watermark) {}

    /**
     * Readings whose times rise 0-1,500 ms, moved back by up to the disorder; now and then one far behind (late), or
     * an exact copy of an earlier one; values around the rules' thresholds, or (stuck runs) the sensor's previous value
     * again, exactly or within 0.1; the watermark (highest time less the
     * disorder) after every few readings.
     */
    static List<Step> steps(Case c) {
        Random random = new Random(c.seed());
        List<Step> steps = new ArrayList<>();
        List<SensorReading> sent = new ArrayList<>();
        long clock = 1_700_000_000_000L;
        long highest = Long.MIN_VALUE;
        Map<String, double[]> previous = new java.util.HashMap<>();
        for (int i = 1; i <= c.readings(); i++) {
            SensorReading reading;
            if (c.duplicateEvery() > 0 && i % c.duplicateEvery() == 0 && !sent.isEmpty()) {
                reading = sent.get(random.nextInt(sent.size()));
            } else {
                clock += random.nextInt(1_500);
                long time = clock - (c.disorderMs() == 0 ? 0 : random.nextInt(c.disorderMs()));
                if (c.lateEvery() > 0 && i % c.lateEvery() == 0) {
                    time -= 5_000 + random.nextInt(10_000);
                }
                String sensor = "s-" + random.nextInt(c.sensors()) + (random.nextBoolean() ? "" : "0");
                double temperature = random.nextInt(5) == 0 ? random.nextDouble() * 10 : 20 + random.nextDouble() * 25;
                double humidity = 50 + random.nextDouble() * 30;
                double[] last = previous.get(sensor);
                if (last != null && random.nextInt(3) > 0) { // a stuck run goes on
                    temperature = last[0] + (random.nextBoolean() ? 0 : (random.nextDouble() - 0.5) * 0.2);
                    humidity = random.nextBoolean() ? last[1] : humidity;
                }
                previous.put(sensor, new double[] {temperature, humidity});
                reading = random.nextInt(4) == 0 ? Readings.of(sensor, time, "humidity", humidity)
                        : Readings.of(sensor, time, Map.of("temperature", temperature, "humidity", humidity));
                highest = Math.max(highest, time);
            }
            sent.add(reading);
            steps.add(new Step(reading, 0));
            if (i % c.watermarkEvery() == 0) {
                steps.add(new Step(null, highest - c.disorderMs()));
            }
        }
        return steps;
    }
}
