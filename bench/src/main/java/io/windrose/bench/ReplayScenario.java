package io.windrose.bench;

import io.windrose.cli.SideJobCluster;
import io.windrose.history.ArchiveSource;
import io.windrose.history.Interval;
import io.windrose.history.ReplayJob;
import io.windrose.history.ReplayOutputs;
import io.windrose.localcluster.KafkaServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.SensorAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Scenario 7: replay throughput against the live pipeline's over the same readings, in readings per CPU-second of this
 * JVM. The live pipeline runs in the job ({@link InJobScenario}'s memory source) with the archive of readings on, once
 * into a warm-up topic and once filling the archive topic of the bench's Kafka (records exactly as the live job writes
 * them), then with the archive off (the figure replay is compared to). The replay of the archive's interval runs as
 * {@code windrose replay} builds it ({@link ReplayJob} in a side mini-cluster), its windows into a discarding sink in
 * place of InfluxDB: the figure is the archive's read (Kafka fetch, Avro), the taken-live filter and the windows. After
 * one unmeasured replay, the live pipeline (archive off) and the replay run alternately, and each keeps its best run.
 */
final class ReplayScenario {
    /** Records out of the archive source, and the aggregates and the readings in them at the discarding sink. */
    static final AtomicLong READ = new AtomicLong();
    static final AtomicLong WINDOWS = new AtomicLong();
    static final AtomicLong WINDOWED = new AtomicLong();
    private static final int ROUNDS = 2;

    private final KafkaServer kafka;
    private final Results results;

    ReplayScenario(KafkaServer kafka, Results results) {
        this.kafka = kafka;
        this.results = results;
    }

    void run(Load load) throws Exception {
        long started = System.nanoTime();
        String prefix = "replay" + System.nanoTime() % 100000;
        PipelineConfig live = archiving(prefix + ".readings");
        // the first pass of the Kafka producer's path spent more CPU compiling it than writing (the compiler threads:
        // 19-20 µs per reading of 200,000): a warm-up pass into a topic of its own, which the replay does not read
        PipelineConfig warmUp = archiving(prefix + ".warm-up");
        BenchMain.progress("scenario 7: the live pipeline in the job, archive on, warm-up");
        InJobScenario.execute(load, true, warmUp, null);
        BenchMain.progress("scenario 7: the live pipeline in the job, archive on (" + load.count + " readings to "
                + live.sinks.kafka.readingsTopic + ")");
        Cpu.awaitCompilerQuiet(Duration.ofSeconds(10));
        InJobScenario.Measured archiving = InJobScenario.execute(load, true, live, null);

        Interval interval = new Interval(Instant.ofEpochMilli(Load.T0),
                Instant.ofEpochMilli(load.timestamp(load.count - 1) + 1)).widen(live.window.size);
        ArchiveSource archive = new ArchiveSource(live.sinks.kafka, interval, Duration.ZERO);
        long archived = archive.records();
        if (archived != load.count) { // a replay of other readings than the live run's would compare nothing
            throw new IllegalStateException("the archive holds " + archived + " records of " + load.count + " readings");
        }
        long closedUpTo = archive.liveWatermark();
        BenchMain.progress("scenario 7: replay of " + interval + " (" + archived + " archived readings), warm-up");
        replay(live, interval, closedUpTo);

        // the best of alternating runs: a run's figure moves by 20 % with what the JIT and GC do in its 1-2 s
        InJobScenario.Measured inJob = null;
        InJobScenario.Measured replay = null;
        StringBuilder inJobRuns = new StringBuilder();
        StringBuilder replayRuns = new StringBuilder();
        for (int round = 1; round <= ROUNDS; round++) {
            BenchMain.progress("scenario 7: the live pipeline in the job, archive off, run " + round + " of " + ROUNDS);
            Cpu.awaitCompilerQuiet(Duration.ofSeconds(10));
            InJobScenario.Measured i = InJobScenario.execute(load, true, InJobScenario.config(), null);
            inJob = inJob == null || i.perCpuSecond() > inJob.perCpuSecond() ? i : inJob;
            inJobRuns.append(inJobRuns.length() > 0 ? " " : "").append(Results.round(i.perCpuSecond()));
            BenchMain.progress("scenario 7: replay, run " + round + " of " + ROUNDS);
            Cpu.awaitCompilerQuiet(Duration.ofSeconds(10));
            InJobScenario.Measured r = replay(live, interval, closedUpTo);
            replay = replay == null || r.perCpuSecond() > replay.perCpuSecond() ? r : replay;
            replayRuns.append(replayRuns.length() > 0 ? " " : "").append(Results.round(r.perCpuSecond()));
        }
        InJobScenario.current = null;

        results.add("replay-in-job", "readings_per_s", inJob.rate(), "readings", load.count, "cpu_cores", inJob.cores(),
                "readings_per_cpu_s", inJob.perCpuSecond(), "runs_readings_per_cpu_s", inJobRuns.toString(),
                "what", "live pipeline, archive off: memory source -> decode -> windows + alerts -> discarding sinks");
        results.add("replay-in-job-archive", "readings_per_s", archiving.rate(), "readings", load.count,
                "cpu_cores", archiving.cores(), "readings_per_cpu_s", archiving.perCpuSecond(),
                "ratio_to_in_job", archiving.perCpuSecond() / inJob.perCpuSecond(),
                "what", "the same with the archive on (one run, after a warm-up): + readings to Kafka (at-least-once),"
                        + " the replay's input");
        results.add("replay", "readings_per_s", replay.rate(), "readings", replay.count(), "cpu_cores", replay.cores(),
                "readings_per_cpu_s", replay.perCpuSecond(), "runs_readings_per_cpu_s", replayRuns.toString(),
                "ratio_to_in_job", replay.perCpuSecond() / inJob.perCpuSecond(),
                "windows", WINDOWS.get(), "readings_in_windows", WINDOWED.get(),
                "scenario_s", (System.nanoTime() - started) / 1e9,
                "what", "ReplayJob: archive (Kafka, read_committed) -> Avro -> taken-live filter -> windows"
                        + " -> discarding sink");
    }

    /** The in-job figure's pipeline with the archive of readings on, to {@code topic} of the bench's Kafka. */
    private PipelineConfig archiving(String topic) {
        PipelineConfig config = InJobScenario.config();
        config.sinks.kafka.enabled = true;
        config.sinks.kafka.bootstrapServers = kafka.bootstrapServers();
        config.sinks.kafka.readingsTopic = topic;
        // the readings are from 2025: a 30-day retention would let the broker drop them as soon as a segment closes
        config.sinks.kafka.readingsRetention = Duration.ofDays(36_500);
        // only the archive: the other outputs go to the discarding sinks as in the in-job figure; the rules topic's
        // source never ends, and with it the job never would
        config.sinks.kafka.aggregatesTopic = null;
        config.sinks.kafka.alertsTopic = null;
        config.sinks.kafka.deadLettersTopic = null;
        config.sinks.kafka.lateTopic = null;
        config.runtimeRules.topic = null;
        config.runtimeRules.statusTopic = null;
        return config;
    }

    /**
     * One replay in a side mini-cluster configured as {@code windrose replay}'s, with a probe on the archive source's
     * output (first record, count) and the written windows into a discarding sink.
     */
    private static InJobScenario.Measured replay(PipelineConfig config, Interval interval, long closedUpTo)
            throws Exception {
        Configuration options = SideJobCluster.options();
        options.setString("pipeline.generic-types", "false");
        options.setString("pipeline.object-reuse", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(options);
        // no InfluxDB, no Kafka: the windows end in a map the bench gives a sink to below
        ReplayJob.build(env, config, interval, new ReplayOutputs(false, "", null, null), closedUpTo);
        probe(env, find(env, "taken-live").getInputs().get(0));
        @SuppressWarnings("unchecked")
        Transformation<SensorAggregate> windows = (Transformation<SensorAggregate>) find(env, "count-windows");
        new DataStream<>(env, windows).sinkTo(new WindowsSink()).name("windows-discarded");

        InJobScenario.Timing.reset();
        READ.set(0);
        WINDOWS.set(0);
        WINDOWED.set(0);
        env.execute("bench replay " + interval);
        if (WINDOWS.get() == 0) {
            throw new IllegalStateException("the replay wrote no window: the measurement would be void");
        }
        double seconds = (InJobScenario.Timing.LAST.get() - InJobScenario.Timing.FIRST.get()) / 1e9;
        double cpuSeconds = (InJobScenario.Timing.LAST_CPU.get() - InJobScenario.Timing.FIRST_CPU.get()) / 1e9;
        return new InJobScenario.Measured(READ.get(), seconds, cpuSeconds, seconds);
    }

    /** A second consumer of the archive source, chained to it: a call per record, its count added up at the end. */
    private static <T> void probe(StreamExecutionEnvironment env, Transformation<T> source) {
        new DataStream<>(env, source).map(new ReadProbe<T>(), source.getOutputType()).name("read-probe")
                .sinkTo(new DiscardingSink<>()).name("read-probe-discarded");
    }

    /** The transformation named {@code name} among the job's, searched through their inputs (sources included). */
    private static Transformation<?> find(StreamExecutionEnvironment env, String name) {
        Deque<Transformation<?>> open = new ArrayDeque<>(env.getTransformations());
        Set<Integer> seen = new HashSet<>();
        while (!open.isEmpty()) {
            Transformation<?> t = open.pop();
            if (!seen.add(t.getId())) {
                continue;
            }
            if (name.equals(t.getName())) {
                return t;
            }
            open.addAll(t.getInputs());
        }
        throw new IllegalStateException("ReplayJob has no operator named " + name + ": the bench's probes need it");
    }

    /** Starts the clock at the first record read from the archive and counts them. */
    static final class ReadProbe<T> extends RichMapFunction<T, T> {
        private long n;

        @Override
        public T map(T record) {
            if (n++ == 0) {
                InJobScenario.Timing.start();
            }
            return record;
        }

        @Override
        public void close() {
            READ.addAndGet(n);
        }
    }

    /** Discards the replay's windows, counting them and their readings, and stops the clock at the last. */
    static final class WindowsSink implements Sink<SensorAggregate> {
        @Override
        public SinkWriter<SensorAggregate> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                private long n;
                private long readings;

                @Override
                public void write(SensorAggregate aggregate, Context ctx) {
                    readings += aggregate.getFields().get("temperature").getCount();
                    if ((++n & 1023) == 1) {
                        InJobScenario.Timing.seen();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (n > 0) {
                        InJobScenario.Timing.seen();
                    }
                }

                @Override
                public void close() {
                    WINDOWS.addAndGet(n);
                    WINDOWED.addAndGet(readings);
                }
            };
        }
    }
}
