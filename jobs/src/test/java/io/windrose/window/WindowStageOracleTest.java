package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.config.Durations;
import io.windrose.dedup.DeduplicateReadings;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.window.WindowOracle.Event;
import io.windrose.window.WindowOracle.Key;
import io.windrose.window.WindowOracle.Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OutputTag;

/**
 * Property-based: generated readings — several sensors, disorder within the out-of-orderness, duplicates (dedup on),
 * late readings within and beyond the allowed lateness — go through the window stage (dedup, emitted-window guard,
 * windows, tiers) in a mini-cluster and must equal {@link WindowOracle}: the same windows, exactly the same counts,
 * mins, maxes, firsts and lasts, sums, means and standard deviations up to rounding, percentiles within the sketch's
 * relative accuracy of the nearest-rank value, the same late readings. Deterministic: the test source sets the
 * watermark after every reading. Each try runs one job over many generated cases (each its own sensors and a stretch
 * of event time of its own); jqwik shrinks a failure and prints its seed. Tries per property:
 * {@code jqwik.tries.default} (src/test/resources/junit-platform.properties; more with
 * {@code -Djqwik.tries.default=200}).
 */
class WindowStageOracleTest {
    private static final double ACCURACY = 0.01;
    private static final int DEDUP = 32;
    private static final long CASE_SPAN = 10_000_000L;
    private static final OutputTag<SensorReading> LATE = new OutputTag<>("late", new AvroTypeInfo<>(SensorReading.class));

    /** One generated case: its shape; its content comes from the seed. */
    record Case(int sensors, int readings, int late, int duplicates, long seed) {}

    @Provide
    Arbitrary<List<Case>> cases() {
        Arbitrary<Case> one = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(0, 4), Arbitraries.longs()).as(Case::new);
        return one.list().ofMinSize(1).ofMaxSize(15);
    }

    @Property
    void tumblingWindows(@ForAll("cases") List<Case> cases, @ForAll @IntRange(min = 1, max = 5) int sizeSeconds,
            @ForAll("lateness") long lateness, @ForAll("disorder") long disorder) throws Exception {
        WindowConfig window = window();
        window.size = Duration.ofSeconds(sizeSeconds);
        check(cases, window, lateness, disorder);
    }

    @Property
    void slidingWindows(@ForAll("cases") List<Case> cases, @ForAll @IntRange(min = 2, max = 4) int sizeSeconds,
            @ForAll @IntRange(min = 1, max = 2) int slideSeconds, @ForAll("lateness") long lateness,
            @ForAll("disorder") long disorder) throws Exception {
        WindowConfig window = window();
        window.size = Duration.ofSeconds(sizeSeconds);
        window.slide = Duration.ofSeconds(Math.min(slideSeconds, sizeSeconds - 1));
        check(cases, window, lateness, disorder);
    }

    @Property
    void sessionWindows(@ForAll("cases") List<Case> cases, @ForAll @IntRange(min = 300, max = 3000) int gapMs,
            @ForAll("lateness") long lateness, @ForAll("disorder") long disorder) throws Exception {
        WindowConfig window = window();
        window.sessionGap = Duration.ofMillis(gapMs);
        check(cases, window, lateness, disorder);
    }

    @Property
    void rollupTiers(@ForAll("cases") List<Case> cases, @ForAll("lateness") long lateness,
            @ForAll("disorder") long disorder) throws Exception {
        WindowConfig window = window();
        window.size = Duration.ofSeconds(1);
        window.tiers = List.of(Duration.ofSeconds(3), Duration.ofSeconds(6));
        check(cases, window, lateness, disorder);
    }

    @Provide
    Arbitrary<Long> lateness() {
        return Arbitraries.of(0L, 1_500L, 4_000L);
    }

    @Provide
    Arbitrary<Long> disorder() {
        return Arbitraries.of(0L, 300L, 1_000L);
    }

    private static WindowConfig window() {
        WindowConfig window = new WindowConfig();
        window.stats = List.of(Stat.values());
        window.percentileAccuracy = ACCURACY;
        return window;
    }

    private static void check(List<Case> cases, WindowConfig window, long lateness, long disorder) throws Exception {
        List<Event> events = new ArrayList<>();
        for (int k = 0; k < cases.size(); k++) {
            events.addAll(events(cases.get(k), "c" + k, 1_700_000_000_000L + k * CASE_SPAN, disorder,
                    window.sessionGap == null ? window.size.toMillis() : window.sessionGap.toMillis()));
        }
        WindowOracle.Result expected = WindowOracle.compute(events, window, lateness, DEDUP);
        Output actual = run(events, window, Duration.ofMillis(lateness));

        assertThat(actual.windows.keySet()).as("windows").isEqualTo(expected.windows().keySet());
        for (Map.Entry<Key, SensorAggregate> entry : actual.windows.entrySet()) {
            compare(entry.getKey(), entry.getValue(), expected.windows().get(entry.getKey()),
                    expected.ends().get(entry.getKey()), window);
        }
        assertThat(actual.late).as("late readings").containsExactlyInAnyOrderElementsOf(
                expected.late().stream().map(e -> e.sensor() + "@" + e.time()).toList());
    }

    private static void compare(Key key, SensorAggregate actual, Map<String, List<Value>> expected, long end,
            WindowConfig window) {
        String where = key + " " + actual;
        assertThat(actual.getWindowEnd().toEpochMilli()).as(where).isEqualTo(end);
        WindowOracle.assertMatches(where, actual, expected, window.percentileAccuracy);
    }

    /**
     * A case's readings: times rising by 1–1,500 ms, moved back by up to {@code disorder}, unique per sensor; the
     * watermark after each at the highest time so far minus the disorder (bounded out-of-orderness); late readings up
     * to three windows behind; duplicates of one of the last few readings.
     */
    static List<Event> events(Case c, String prefix, long base, long disorder, long windowMs) {
        Random random = new Random(c.seed());
        List<Event> events = new ArrayList<>();
        Map<String, java.util.Set<Long>> used = new HashMap<>();
        long clock = base;
        long highest = Long.MIN_VALUE;
        int lateLeft = c.late();
        int duplicatesLeft = c.duplicates();
        int total = c.readings() + c.late() + c.duplicates();
        for (int i = 0; i < total; i++) {
            int remaining = total - i;
            double roll = random.nextDouble();
            long watermark = highest == Long.MIN_VALUE ? Long.MIN_VALUE : highest - disorder - 1;
            if (duplicatesLeft > 0 && !events.isEmpty() && roll < (double) duplicatesLeft / remaining) {
                duplicatesLeft--;
                Event original = events.get(Math.max(0, events.size() - 1 - random.nextInt(5)));
                events.add(new Event(original.sensor(), original.time(), original.fields(), watermark));
                continue;
            }
            String sensor = prefix + "-s" + random.nextInt(c.sensors());
            long time;
            if (lateLeft > 0 && highest != Long.MIN_VALUE && roll < (double) (lateLeft + duplicatesLeft) / remaining) {
                lateLeft--;
                time = highest - disorder - random.nextInt((int) (3 * windowMs));
            } else {
                clock += 1 + random.nextInt(1_500);
                time = clock - (disorder == 0 ? 0 : random.nextInt((int) disorder + 1));
            }
            if (!used.computeIfAbsent(sensor, s -> new java.util.HashSet<>()).add(time)) {
                continue; // one reading per sensor and millisecond: first and last have no ties
            }
            Map<String, Double> fields = new TreeMap<>();
            fields.put("t", value(random));
            if (random.nextBoolean()) {
                fields.put("h", value(random));
            }
            highest = Math.max(highest, time);
            events.add(new Event(sensor, time, fields, highest - disorder - 1));
        }
        return events;
    }

    private static double value(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> Math.round(random.nextDouble() * 1_000) / 10.0; // ties are likely
            default -> Math.round(random.nextGaussian() * 3_000) / 100.0;
        };
    }

    /** What the job put out: each window as last emitted (a retraction removes it), and the late readings. */
    record Output(Map<Key, SensorAggregate> windows, List<String> late) {}

    private static Output run(List<Event> events, WindowConfig window, Duration lateness) throws Exception {
        Configuration flink = new Configuration();
        flink.setString("pipeline.generic-types", "false");
        flink.setString("pipeline.object-reuse", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(1);
        TypeInformation<Tuple2<SensorReading, Long>> type = Types.TUPLE(new AvroTypeInfo<>(SensorReading.class), Types.LONG);
        List<Tuple2<SensorReading, Long>> input = new ArrayList<>();
        for (Event event : events) {
            input.add(Tuple2.of(SensorReading.newBuilder().setMeasurement("m").setSensorId(event.sensor())
                    .setTags(Map.of()).setEventTime(Instant.ofEpochMilli(event.time()))
                    .setFields(new HashMap<>(event.fields())).build(), event.watermarkAfter()));
        }
        DataStream<SensorReading> readings = env.fromData(input, type)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Tuple2<SensorReading, Long>>forGenerator(
                        context -> new WatermarkAfterEach()).withTimestampAssigner((e, t) -> e.f0.getEventTime().toEpochMilli()))
                .map(e -> e.f0, new AvroTypeInfo<>(SensorReading.class));
        KeyedStream<SensorReading, String> keyed = DataStreamUtils.reinterpretAsKeyedStream(readings.keyBy(new SensorKey())
                .process(new DeduplicateReadings(DEDUP, Duration.ofHours(1))), new SensorKey());
        WindowStage.Windows stage = WindowStage.apply(keyed, window, lateness, LATE);
        DataStream<SensorAggregate> all = stage.tiers() == null ? stage.windows() : stage.windows().union(stage.tiers());
        // late readings ride along as aggregates of window "late" (one output to collect, in order)
        DataStream<SensorAggregate> late = stage.late().map(r -> SensorAggregate.newBuilder().setMeasurement("m")
                .setSensorId(r.getSensorId()).setWindow("late").setWindowStart(r.getEventTime())
                .setWindowEnd(r.getEventTime()).setFields(Map.of()).build(), new AvroTypeInfo<>(SensorAggregate.class));
        Map<Key, SensorAggregate> windows = new TreeMap<>(java.util.Comparator.comparing(Key::sensor)
                .thenComparing(Key::window).thenComparingLong(Key::start));
        List<String> lateReadings = new ArrayList<>();
        try (var results = all.union(late).executeAndCollect("window-oracle")) {
            while (results.hasNext()) {
                SensorAggregate aggregate = results.next();
                Key key = new Key(aggregate.getSensorId(), aggregate.getWindow(), aggregate.getWindowStart().toEpochMilli());
                if (aggregate.getWindow().equals("late")) {
                    lateReadings.add(aggregate.getSensorId() + "@" + aggregate.getWindowStart().toEpochMilli());
                } else if (aggregate.getRetracted()) {
                    windows.remove(key);
                } else {
                    windows.put(key, aggregate);
                }
            }
        }
        return new Output(windows, lateReadings);
    }

    /** The watermark the test input names, after each reading. */
    private static final class WatermarkAfterEach implements WatermarkGenerator<Tuple2<SensorReading, Long>> {
        @Override
        public void onEvent(Tuple2<SensorReading, Long> event, long timestamp, WatermarkOutput output) {
            output.emitWatermark(new Watermark(event.f1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }

    static String format(Duration d) {
        return Durations.format(d);
    }
}
