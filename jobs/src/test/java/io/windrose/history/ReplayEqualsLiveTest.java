package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.config.Durations;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.reading.SensorReadingTypeInfo;
import io.windrose.schema.SensorAggregate;
import io.windrose.schema.SensorReading;
import io.windrose.window.SensorKey;
import io.windrose.window.Stat;
import io.windrose.window.WindowConfig;
import io.windrose.window.WindowOracle;
import io.windrose.window.WindowStage;
import io.windrose.window.state.WindowPartial;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * Property-based: a replay of the archive writes exactly the points the live job last wrote, and both equal the batch
 * oracle ({@link WindowOracle}: the readings the live windows accepted, folded in arrival order).
 *
 * <p>Each try is one case: 1–5 sensors whose readings come with disorder, late readings (within and beyond the
 * allowed lateness), readings sent again, corrections (same sensor and time, another value), now and then a reading
 * far ahead of the others, and watermark steps at random points (a periodic watermark: readings between two steps are
 * judged by the older one). The stream is the one after dedup — where the archive taps it: an exact copy that dedup
 * drops reaches neither the windows nor the archive, so only copies that pass dedup (sent again after its ring or
 * horizon forgot the first) are generated, and both the windows and the archive fold them twice. Optionally the live
 * job is checkpointed and restored mid-stream (its source's watermark generator then starts over, lower than before).
 *
 * <p>LIVE runs the window stage as {@code WindowStage.apply} builds it (emitted-window guard, window operator, tiers:
 * the operator factories taken from its transformations) in operator test harnesses, beside {@link ArchiveStamp}; the
 * archive is what the stamp puts out, and the live points are the last write per (measurement, sensor, window, start)
 * — InfluxDB keeps the last write of a point. REPLAY reads the archive between the offsets {@link ArchiveSource} would
 * (first record at or after from − read margin, up to the first at or after to + read margin; one partition), runs
 * each record through {@link HeaderWatermarks} (emitting at random points, as the periodic emit does) and
 * {@link ReplayFilter}, then a fresh window stage, a final MAX watermark (the end of the bounded source), and keeps the
 * writes {@link ReplayJob.WholeWindows} lets through, with the interval widened as {@link ReplayCommand} widens it and
 * the live watermark read from the archive's stamps as {@link ArchiveSource#liveWatermark()} does.
 */
class ReplayEqualsLiveTest {
    private static final double ACCURACY = 0.01;
    private static final long BASE = 1_700_000_000_000L;
    private static final OutputTag<SensorReading> LATE = new OutputTag<>("late", SensorReadingTypeInfo.READINGS);
    private static final TypeInformation<WindowPartial> PARTIALS = new AvroTypeInfo<>(WindowPartial.class);
    /**
     * Readings per case of a sensor whose clock runs ahead of the others by more than the replay's read margin (see
     * {@link #readingsTakenAfterOneFarAheadAreStillRead}).
     */
    private static final int AHEAD = 1;

    /** The shape of a case's stream; its content comes from the seed. */
    record Shape(int sensors, int readings, int late, int resent, int corrected, int ahead, long seed) {}

    /** How the live job ran: restored mid-stream or not, its watermark moved on past the case or not, and what is replayed. */
    record Run(boolean restore, boolean liveGoesOn, boolean subInterval) {}

    @Provide
    Arbitrary<Shape> shapes() {
        return Combinators.combine(Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 40),
                Arbitraries.integers().between(0, 8), Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, AHEAD), Arbitraries.longs())
                .as(Shape::new);
    }

    @Provide
    Arbitrary<Run> runs() {
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), Arbitraries.of(false, true))
                .as(Run::new);
    }

    @Provide
    Arbitrary<Long> lateness() {
        return Arbitraries.of(0L, 1_500L, 4_000L);
    }

    @Provide
    Arbitrary<Long> disorder() {
        return Arbitraries.of(0L, 300L, 1_000L);
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.of(500L, 1_000L, 2_000L, 5_000L);
    }

    @Property(tries = 500)
    void tumblingWindows(@ForAll("shapes") Shape shape, @ForAll("runs") Run run, @ForAll("sizes") long sizeMs,
            @ForAll("lateness") long lateness, @ForAll("disorder") long disorder) throws Exception {
        check(shape, run, config(sizeMs, List.of(), lateness, disorder));
    }

    /**
     * Tiers of 3 and 6 windows, with allowed lateness that is and is not a whole number of tier windows (see
     * {@link #aLatenessOfWholeTiersKeepsNoTimers}).
     */
    @Property(tries = 500)
    void rollupTiers(@ForAll("shapes") Shape shape, @ForAll("runs") Run run, @ForAll("sizes") long sizeMs,
            @ForAll("tierLateness") long lateness, @ForAll("disorder") long disorder) throws Exception {
        check(shape, run, config(sizeMs, List.of(3L, 2L), lateness, disorder));
    }

    @Provide
    Arbitrary<Long> tierLateness() {
        return Arbitraries.of(0L, 1_300L, 1_500L, 4_000L);
    }

    /**
     * A reading far ahead in time (a clock ahead, a source subtask ahead of another) is archived before the live
     * watermark follows it: sensor b's reading at 75 s comes first, then sensor a's at 6 s, which the live job takes
     * into [5 s, 10 s). A read that stopped at the first record past the interval's end plus the margin never saw it;
     * the read goes on to the first record stamped past that. (Shrunk from {@link #tumblingWindows}.)
     */
    @Example
    void readingsTakenAfterOneFarAheadAreStillRead() throws Exception {
        PipelineConfig config = config(5_000, List.of(), 0, 0);
        Random values = new Random(2);
        List<Step> steps = List.of(
                Step.of(reading("a", 1_000, values)), Step.mark(999),
                Step.of(reading("b", 75_000, values)), // no watermark step yet: the next emit is up to 200 ms away
                Step.of(reading("a", 6_000, values)), Step.mark(74_999),
                Step.of(reading("a", 80_000, values))); // archived with the live watermark, 74,999
        check(new Case(steps, -1, new Interval(Instant.ofEpochMilli(0), Instant.ofEpochMilli(10_000))), config, 0);
    }

    /**
     * With an allowed lateness of whole tier windows, one tier window's drop timer is due when the next one ends: the
     * drop must not be taken for a firing that registers the next drop timer, for ever (a replay's final watermark never
     * finished; found by {@link #rollupTiers} with size 500 ms, tiers [1.5 s, 3 s], allowed lateness 1.5 s).
     */
    @Example
    void aLatenessOfWholeTiersKeepsNoTimers() throws Exception {
        PipelineConfig config = config(500, List.of(3L), 1_500, 0);
        Stage stage = new Stage(config.window, 1_500, null);
        stage.reading(reading("s0", 100, new Random(1)));
        stage.watermark(5_999); // past the tier window's end (1,499) and its lateness (2,999)
        assertThat(stage.tiers.get(0).harness.numEventTimeTimers())
                .as("timers left once tier window [0, 1.5 s) is past its allowed lateness").isZero();
        stage.close();
    }

    /**
     * A tier window that had no part when it ended (its readings all late, within the allowed lateness) drops its parts
     * once no correction can come, as any other.
     */
    @Example
    void aTierWindowFilledOnlyByLateReadingsDropsItsParts() throws Exception {
        PipelineConfig config = config(500, List.of(3L), 4_000, 0);
        Stage stage = new Stage(config.window, 4_000, null);
        stage.watermark(1_600); // past the tier window [0, 1.5 s)'s end, with nothing in it
        stage.reading(reading("s0", 100, new Random(1))); // late for its 500 ms window, within the lateness
        stage.watermark(9_999); // past every lateness
        assertThat(stage.tiers.get(0).harness.numKeyedStateEntries()).as("tier parts kept").isZero();
        assertThat(stage.tiers.get(0).harness.numEventTimeTimers()).as("tier timers left").isZero();
        stage.close();
    }

    static PipelineConfig config(long sizeMs, List<Long> tierFactors, long lateness, long disorder) {
        PipelineConfig config = new PipelineConfig();
        config.window.size = Duration.ofMillis(sizeMs);
        config.window.stats = List.of(Stat.values());
        config.window.percentileAccuracy = ACCURACY;
        long below = sizeMs;
        for (long factor : tierFactors) {
            below *= factor;
            config.window.tiers.add(Duration.ofMillis(below));
        }
        config.eventTime.allowedLateness = Duration.ofMillis(lateness);
        config.eventTime.maxOutOfOrderness = Duration.ofMillis(disorder);
        return config;
    }

    // ---- one case ----

    /** A step of the live input: a reading, or a watermark from the source. */
    record Step(SensorReading reading, long watermark) {
        static Step of(SensorReading reading) {
            return new Step(reading, Long.MIN_VALUE);
        }

        static Step mark(long watermark) {
            return new Step(null, watermark);
        }
    }

    /** A generated case: the live input, where the live job was restored (-1: never), and the interval asked for. */
    record Case(List<Step> steps, int restoreAfter, Interval asked) {}

    static void check(Shape shape, Run run, PipelineConfig config) throws Exception {
        check(generate(shape, run, config), config, shape.seed());
    }

    /** @param seed where the replay's periodic watermarks fall */
    static void check(Case generated, PipelineConfig config, long seed) throws Exception {
        WindowConfig window = config.window;
        long lateness = config.eventTime.allowedLateness.toMillis();

        // LIVE: the window stage beside the archive's stamp, restored mid-stream when asked
        Live live = new Live(window, lateness);
        List<WindowOracle.Event> oracleEvents = new ArrayList<>();
        long highestMark = Long.MIN_VALUE;
        for (int i = 0; i < generated.steps().size(); i++) {
            Step step = generated.steps().get(i);
            if (step.reading() != null) {
                live.reading(step.reading());
                oracleEvents.add(event(step.reading(), highestMark));
            } else {
                live.watermark(step.watermark());
                highestMark = Math.max(highestMark, step.watermark());
                if (!oracleEvents.isEmpty()) {
                    WindowOracle.Event last = oracleEvents.remove(oracleEvents.size() - 1);
                    oracleEvents.add(new WindowOracle.Event(last.sensor(), last.time(), last.fields(), highestMark));
                }
            }
            if (i == generated.restoreAfter()) {
                live = live.restored();
            }
        }
        // the live job goes on: its source's watermark catches up with where it was before a restore
        live.watermark(highestMark);
        live.close();

        // REPLAY
        Interval interval = generated.asked().widen(ReplayCommand.wholeWindows(config));
        long readMargin = ReplayJob.readMargin(config).toMillis();
        List<Tuple2<SensorReading, Long>> archive = live.archive;
        int start = 0;
        while (start < archive.size() && time(archive.get(start).f0) < interval.from().toEpochMilli() - readMargin) {
            start++;
        }
        long stopMs = interval.to().toEpochMilli() + readMargin;
        int stop = start;
        while (stop < archive.size() && time(archive.get(stop).f0) < stopMs) {
            stop++;
        }
        while (stop < archive.size() && !ArchiveSource.endsRead(archive.get(stop).f1, stopMs)) {
            stop++; // past the stop time, on to the first record stamped past it
        }
        long closedUpTo = archive.stream().mapToLong(stamped -> stamped.f1).max().orElse(Long.MIN_VALUE);
        HeaderWatermarks watermarks = new HeaderWatermarks(ReplayJob.WATERMARK_MARGIN.toMillis());
        ReplayFilter filter = new ReplayFilter(interval, window.assigner(), lateness);
        Random emits = new Random(seed ^ 0x5DEECE66DL);
        Stage replay = new Stage(window, lateness, null);
        List<SensorReading> kept = new ArrayList<>();
        for (int i = start; i < stop; i++) {
            Tuple2<SensorReading, Long> stamped = archive.get(i);
            watermarks.onEvent(stamped, time(stamped.f0), null);
            if (filter.filter(stamped)) {
                kept.add(stamped.f0);
                replay.reading(stamped.f0);
            }
            if (emits.nextInt(3) == 0) {
                watermarks.onPeriodicEmit(new ToStage(replay));
            }
        }
        replay.watermark(Long.MAX_VALUE); // the bounded source's end
        replay.close();
        ReplayJob.WholeWindows whole = new ReplayJob.WholeWindows(interval, closedUpTo);
        Map<Point, SensorAggregate> replayed = new TreeMap<>(Point.ORDER);
        for (SensorAggregate aggregate : replay.writes) {
            if (whole.filter(aggregate)) {
                replayed.put(Point.of(aggregate), aggregate);
            }
        }

        // what the replay writes is exactly what the live job last wrote to those points, and no point is missing
        String where = "interval " + interval + ", closed up to " + closedUpTo + ", archive " + archive.size()
                + " records, read [" + start + ", " + stop + ")";
        assertThat(replay.late).as("readings the replay's own windows found late (margin too small) " + where).isEmpty();
        Map<Point, SensorAggregate> liveLast = new TreeMap<>(Point.ORDER);
        for (SensorAggregate aggregate : live.writes()) {
            liveLast.put(Point.of(aggregate), aggregate);
        }
        Map<Point, SensorAggregate> expected = new TreeMap<>(Point.ORDER);
        liveLast.forEach((point, aggregate) -> {
            if (whole.filter(aggregate)) {
                expected.put(point, aggregate);
            }
        });
        assertThat(replayed.keySet()).as("points written " + where).isEqualTo(expected.keySet());
        for (Map.Entry<Point, SensorAggregate> point : replayed.entrySet()) {
            // Avro equality: every field, every statistic, doubles by their bits (Double.equals)
            assertThat(point.getValue()).as("replayed " + point.getKey() + " " + where).isEqualTo(expected.get(point.getKey()));
        }

        // the readings the replay keeps are those the live windows took (not sent to the late output), in their order
        List<SensorReading> taken = live.taken().stream().filter(r -> interval.contains(time(r))).toList();
        assertThat(kept).as("readings replayed vs taken live " + where).isEqualTo(taken);

        // and both are the batch oracle's: the accepted readings of each window, by definition
        WindowOracle.Result oracle = WindowOracle.compute(oracleEvents, window, lateness, 0);
        Map<Point, Map<String, List<WindowOracle.Value>>> oracleClosed = new TreeMap<>(Point.ORDER);
        oracle.windows().forEach((key, fields) -> {
            long end = oracle.ends().get(key);
            if (key.start() >= interval.from().toEpochMilli() && end <= interval.to().toEpochMilli()
                    && end - 1 <= closedUpTo) {
                oracleClosed.put(new Point("m", key.sensor(), key.window(), key.start()), fields);
            }
        });
        assertThat(replayed.keySet()).as("points vs the oracle's " + where).isEqualTo(oracleClosed.keySet());
        for (Map.Entry<Point, SensorAggregate> point : replayed.entrySet()) {
            compare(point.getKey(), point.getValue(), oracleClosed.get(point.getKey()), window);
        }
    }

    private static WindowOracle.Event event(SensorReading reading, long watermarkBefore) {
        // the oracle takes the watermark after each reading: a step that follows replaces it (see check)
        return new WindowOracle.Event(reading.getSensorId(), time(reading), new TreeMap<>(reading.getFields()),
                watermarkBefore);
    }

    private static long time(SensorReading reading) {
        return reading.getEventTime().toEpochMilli();
    }

    /**
     * A case's live input: times rising by 1–1,500 ms and moved back by up to the disorder; a watermark step (highest
     * time since the source started, less the disorder, less 1 ms, as Flink's bounded out-of-orderness) after about
     * every other reading; late readings up to three windows behind the watermark; readings sent again (an exact copy
     * of one of the last ten); corrections (a new value at the same sensor and time); and readings of a sensor whose
     * clock runs ahead of the others by more than the replay's read margin.
     */
    static Case generate(Shape shape, Run run, PipelineConfig config) {
        Random random = new Random(shape.seed());
        long size = config.window.size.toMillis();
        long disorder = config.eventTime.maxOutOfOrderness.toMillis();
        long aheadBy = ReplayJob.readMargin(config).toMillis() + 5_000;
        List<Step> steps = new ArrayList<>();
        List<SensorReading> sent = new ArrayList<>();
        long clock = BASE + random.nextInt((int) size);
        long highest = Long.MIN_VALUE; // since the source (re)started
        long watermark = Long.MIN_VALUE;
        int late = shape.late();
        int resent = shape.resent();
        int corrected = shape.corrected();
        int ahead = shape.ahead();
        int total = shape.readings() + late + resent + corrected + ahead;
        int restoreAfter = -1;
        for (int i = 0; i < total; i++) {
            int pick = random.nextInt(total - i);
            SensorReading reading;
            // a kind that cannot be made yet (nothing sent to copy, no watermark to be late for) makes a normal reading
            if (pick < resent && !sent.isEmpty()) {
                resent--;
                reading = SensorReading.newBuilder(sent.get(sent.size() - 1 - random.nextInt(Math.min(10, sent.size()))))
                        .build();
            } else if (pick >= resent && pick < resent + corrected && !sent.isEmpty()) {
                corrected--;
                SensorReading original = sent.get(random.nextInt(sent.size()));
                reading = reading(original.getSensorId(), time(original), random);
            } else if (pick >= resent + corrected && pick < resent + corrected + late && watermark != Long.MIN_VALUE) {
                late--;
                reading = reading("s" + random.nextInt(shape.sensors()), watermark - random.nextInt((int) (3 * size)),
                        random);
            } else if (pick >= resent + corrected + late && pick < resent + corrected + late + ahead) {
                ahead--;
                reading = reading("s" + random.nextInt(shape.sensors()), clock + aheadBy + random.nextInt(10_000),
                        random);
            } else {
                clock += 1 + random.nextInt(1_500);
                reading = reading("s" + random.nextInt(shape.sensors()),
                        clock - (disorder == 0 ? 0 : random.nextInt((int) disorder + 1)), random);
            }
            steps.add(Step.of(reading));
            sent.add(reading);
            highest = Math.max(highest, time(reading));
            if (random.nextBoolean()) {
                watermark = Math.max(watermark, highest - disorder - 1);
                steps.add(Step.mark(highest - disorder - 1));
            }
            if (run.restore() && restoreAfter < 0 && random.nextInt(total) == 0) {
                restoreAfter = steps.size() - 1;
                highest = Long.MIN_VALUE; // the source's watermark generator starts over
            }
        }
        long from = sent.stream().mapToLong(ReplayEqualsLiveTest::time).min().orElseThrow();
        long to = sent.stream().mapToLong(ReplayEqualsLiveTest::time).max().orElseThrow() + 1;
        if (run.liveGoesOn()) {
            // time goes on: the watermark passes every window of the case and their lateness, then a reading of
            // another sensor is archived with it (the stamp a replay reads the live job's watermark from)
            long far = to + 10 * ReplayCommand.wholeWindows(config).toMillis() + config.eventTime.allowedLateness.toMillis();
            steps.add(Step.mark(far));
            steps.add(Step.of(reading("heartbeat", far + 1, random)));
        }
        if (run.subInterval() && to - from > 2) {
            long a = from + (long) (random.nextDouble() * (to - from));
            long b = a + 1 + (long) (random.nextDouble() * (to - a - 1));
            from = a;
            to = b;
        }
        return new Case(steps, restoreAfter, new Interval(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to)));
    }

    private static SensorReading reading(String sensor, long time, Random random) {
        Map<String, Double> fields = new HashMap<>();
        fields.put("t", value(random));
        if (random.nextBoolean()) {
            fields.put("h", value(random));
        }
        return SensorReading.newBuilder().setMeasurement("m").setSensorId(sensor).setTags(Map.of("site", "a"))
                .setEventTime(Instant.ofEpochMilli(time)).setFields(fields).setTopic("m/a/" + sensor).build();
    }

    private static double value(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0.0;
            case 1 -> Math.round(random.nextDouble() * 1_000) / 10.0; // ties are likely
            default -> Math.round(random.nextGaussian() * 3_000) / 100.0;
        };
    }

    // ---- comparison with the oracle ----

    private static void compare(Point point, SensorAggregate actual, Map<String, List<WindowOracle.Value>> expected,
            WindowConfig window) {
        WindowOracle.assertMatches(point + " " + actual, actual, expected, window.percentileAccuracy);
    }

    /** An InfluxDB point of an aggregate: measurement, tags (sensor, window) and time (the window's start). */
    record Point(String measurement, String sensor, String window, long start) {
        static final Comparator<Point> ORDER = Comparator.comparing(Point::measurement).thenComparing(Point::sensor)
                .thenComparing(Point::window).thenComparingLong(Point::start);

        static Point of(SensorAggregate aggregate) {
            return new Point(aggregate.getMeasurement(), aggregate.getSensorId(), aggregate.getWindow(),
                    aggregate.getWindowStart().toEpochMilli());
        }
    }

    // ---- the operators in harnesses ----

    /** The live job: the archive's stamp and the window stage, on the same readings and watermarks. */
    static final class Live {
        private final WindowConfig window;
        private final long lateness;
        private final Stage stage;
        private final OneInputStreamOperatorTestHarness<SensorReading, Tuple2<SensorReading, Long>> stamp;
        final List<Tuple2<SensorReading, Long>> archive;

        Live(WindowConfig window, long lateness) throws Exception {
            this(window, lateness, null, null, new ArrayList<>());
        }

        private Live(WindowConfig window, long lateness, Stage before, OperatorSubtaskState stampState,
                List<Tuple2<SensorReading, Long>> archive) throws Exception {
            this.window = window;
            this.lateness = lateness;
            this.stage = new Stage(window, lateness, before);
            this.stamp = new OneInputStreamOperatorTestHarness<>(new ArchiveStamp());
            if (stampState != null) {
                stamp.initializeState(stampState);
            }
            stamp.open();
            this.archive = archive;
        }

        void reading(SensorReading reading) throws Exception {
            stamp.processElement(reading, time(reading));
            for (Object out : stamp.getOutput()) {
                if (out instanceof StreamRecord<?> record) {
                    @SuppressWarnings("unchecked")
                    Tuple2<SensorReading, Long> stamped = (Tuple2<SensorReading, Long>) record.getValue();
                    archive.add(stamped);
                }
            }
            stamp.getOutput().clear();
            stage.reading(reading);
        }

        void watermark(long watermark) throws Exception {
            // the source forwards only rising watermarks (since it started)
            if (watermark > stage.sourceWatermark) {
                stamp.processWatermark(new Watermark(watermark));
                stamp.getOutput().clear();
            }
            stage.watermark(watermark);
        }

        /** Checkpointed, stopped and restored: the operators' state goes on, the watermarks they saw do not. */
        Live restored() throws Exception {
            OperatorSubtaskState stampState = stamp.snapshot(1L, 1L);
            stamp.close();
            return new Live(window, lateness, stage, stampState, archive);
        }

        List<SensorAggregate> writes() {
            return stage.writes;
        }

        List<SensorReading> taken() {
            return stage.taken;
        }

        void close() throws Exception {
            stamp.close();
            stage.close();
        }
    }

    /** A replay's watermarks straight into its window stage. */
    private record ToStage(Stage stage) implements WatermarkOutput {
        @Override
        public void emitWatermark(org.apache.flink.api.common.eventtime.Watermark watermark) {
            try {
                stage.watermark(watermark.getTimestamp());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }

    /**
     * {@code WindowStage.apply} in harnesses: the guard, the window operator and the tiers, wired as the job wires
     * them (main outputs and side outputs drained in the order the operators emitted them into the next harness).
     */
    static final class Stage {
        private final Harness<SensorReading, SensorReading> guard;
        private final Harness<SensorReading, SensorAggregate> windows;
        private final List<Harness<WindowPartial, SensorAggregate>> tiers = new ArrayList<>();
        private final List<OutputTag<WindowPartial>> partials = new ArrayList<>();
        /** Every write, in order (InfluxDB keeps the last of a point). */
        final List<SensorAggregate> writes;
        /** Readings the windows took (not sent to the late output), in arrival order. */
        final List<SensorReading> taken;
        final List<SensorReading> late;
        long sourceWatermark = Long.MIN_VALUE;

        /** @param before the stage this one is restored from (its state, its outputs so far), or null */
        @SuppressWarnings("unchecked")
        Stage(WindowConfig window, long lateness, Stage before) throws Exception {
            StreamExecutionEnvironment env = new StreamExecutionEnvironment();
            WindowStage.Windows stage = WindowStage.apply(env.fromData(SensorReadingTypeInfo.READINGS,
                    ReplayEqualsLiveTest.reading("x", 0, new Random(0))).keyBy(new SensorKey()), window, Duration.ofMillis(lateness), LATE);
            guard = new Harness<>((OneInputTransformation<SensorReading, SensorReading>) find(
                    stage.windows().getTransformation(), "emitted-window-guard"),
                    before == null ? null : before.guard.snapshot());
            windows = new Harness<>((OneInputTransformation<SensorReading, SensorAggregate>) stage.windows()
                    .getTransformation(), before == null ? null : before.windows.snapshot());
            partials.add(window.tiers.isEmpty() ? null : partialsOf(window.tag()));
            for (int i = 0; i < window.tiers.size(); i++) {
                String tag = Durations.format(window.tiers.get(i));
                tiers.add(new Harness<>((OneInputTransformation<WindowPartial, SensorAggregate>) find(
                        stage.tiers().getTransformation(), "window-tier-" + tag),
                        before == null ? null : before.tiers.get(i).snapshot()));
                partials.add(i + 1 < window.tiers.size() ? partialsOf(tag) : null);
            }
            writes = before == null ? new ArrayList<>() : before.writes;
            taken = before == null ? new ArrayList<>() : before.taken;
            late = before == null ? new ArrayList<>() : before.late;
            if (before != null) {
                before.close();
            }
        }

        private static OutputTag<WindowPartial> partialsOf(String tag) {
            return new OutputTag<>("partials-" + tag, PARTIALS); // WindowStage's tags: equal by name
        }

        void reading(SensorReading reading) throws Exception {
            int lateBefore = late.size();
            guard.harness.processElement(reading, time(reading));
            drainGuard();
            if (late.size() == lateBefore) {
                taken.add(reading);
            }
        }

        void watermark(long watermark) throws Exception {
            if (watermark <= sourceWatermark) {
                return; // the source forwards only rising watermarks
            }
            sourceWatermark = watermark;
            guard.harness.processWatermark(new Watermark(watermark));
            drainGuard();
        }

        private void drainGuard() throws Exception {
            drainLate(guard);
            for (Object out : guard.take()) {
                if (out instanceof StreamRecord<?> record) {
                    windows.harness.processElement((SensorReading) record.getValue(), record.getTimestamp());
                } else if (out instanceof Watermark mark) {
                    windows.harness.processWatermark(mark);
                }
                drainLate(windows);
                // partials first: the window operator emits a window (and its partial) before it forwards the watermark
                drainPartials(windows, 0);
                for (Object result : windows.take()) {
                    if (result instanceof StreamRecord<?> record) {
                        writes.add((SensorAggregate) record.getValue());
                    } else if (result instanceof Watermark mark && !tiers.isEmpty()) {
                        tierWatermark(0, mark);
                    }
                }
            }
        }

        private void drainLate(Harness<?, ?> harness) {
            var queue = harness.harness.getSideOutput(LATE);
            if (queue != null) {
                queue.forEach(record -> late.add(record.getValue()));
                queue.clear();
            }
        }

        private void drainPartials(Harness<?, ?> from, int tier) throws Exception {
            OutputTag<WindowPartial> tag = partials.get(tier);
            if (tag == null || from.harness.getSideOutput(tag) == null) {
                return;
            }
            List<StreamRecord<WindowPartial>> parts = new ArrayList<>(from.harness.getSideOutput(tag));
            from.harness.getSideOutput(tag).clear();
            for (StreamRecord<WindowPartial> part : parts) {
                tiers.get(tier).harness.processElement(part);
                drainTier(tier);
            }
        }

        private void tierWatermark(int tier, Watermark mark) throws Exception {
            tiers.get(tier).harness.processWatermark(mark);
            drainTier(tier);
        }

        private void drainTier(int tier) throws Exception {
            Harness<WindowPartial, SensorAggregate> harness = tiers.get(tier);
            if (tier + 1 < tiers.size()) {
                drainPartials(harness, tier + 1);
            }
            for (Object result : harness.take()) {
                if (result instanceof StreamRecord<?> record) {
                    writes.add((SensorAggregate) record.getValue());
                } else if (result instanceof Watermark mark && tier + 1 < tiers.size()) {
                    tierWatermark(tier + 1, mark);
                }
            }
        }

        void close() throws Exception {
            guard.harness.close();
            windows.harness.close();
            for (Harness<?, ?> tier : tiers) {
                tier.harness.close();
            }
        }
    }

    /** A keyed operator of the stage in a harness, made from the factory of its transformation. */
    static final class Harness<I, O> {
        final KeyedOneInputStreamOperatorTestHarness<String, I, O> harness;

        @SuppressWarnings("unchecked")
        Harness(OneInputTransformation<I, O> transformation, OperatorSubtaskState restore) throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>((StreamOperatorFactory<O>) transformation.getOperatorFactory(),
                    (KeySelector<I, String>) transformation.getStateKeySelector(),
                    (TypeInformation<String>) transformation.getStateKeyType());
            if (restore != null) {
                harness.initializeState(restore);
            }
            harness.open();
        }

        OperatorSubtaskState snapshot() throws Exception {
            return harness.snapshot(1L, 1L);
        }

        /** The main output so far, and cleared. */
        List<Object> take() {
            List<Object> out = new ArrayList<>(harness.getOutput());
            harness.getOutput().clear();
            return out;
        }
    }

    /** The transformation named {@code name} at or above {@code from}. */
    private static Transformation<?> find(Transformation<?> from, String name) {
        ArrayDeque<Transformation<?>> open = new ArrayDeque<>(List.of(from));
        while (!open.isEmpty()) {
            Transformation<?> t = open.poll();
            if (name.equals(t.getName())) {
                return t;
            }
            open.addAll(t.getInputs());
        }
        throw new IllegalStateException("no transformation " + name + " above " + from);
    }
}
