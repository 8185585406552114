package io.windrose.bench;

import io.windrose.WindroseJob;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.mqtt.MqttMessage;
import io.windrose.pipeline.PipelineConfig;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Scenario 2: pre-encoded payloads from memory through decode → event time → windows → alerts → discarding sinks,
 * against the same source straight into a discarding sink. No broker, no external sink: what the job's own stages cost.
 */
final class InJobScenario {
    /** The payloads, shared with the generator by reference (the mini-cluster runs in this JVM). */
    static volatile Load current;

    private final Results results;

    InJobScenario(Results results) {
        this.results = results;
    }

    void run(Load load) throws Exception {
        current = load;
        // warm-up: let the JIT compile the decode, window and serializer paths before anything is measured
        execute(load, true);
        Measured baseline = execute(load, false);
        results.add("in-job-baseline", "readings_per_s", baseline.rate(), "readings", load.count,
                "cpu_cores", baseline.cores(), "readings_per_cpu_s", baseline.perCpuSecond(),
                "what", "memory source -> discarding sink");
        Measured full = execute(load, true);
        results.add("in-job-pipeline", "readings_per_s", full.rate(), "ratio_to_baseline", full.rate() / baseline.rate(),
                "readings", load.count, "cpu_cores", full.cores(), "readings_per_cpu_s", full.perCpuSecond(),
                "what", "memory source -> decode -> windows + alerts -> discarding sinks");
        current = null;
    }

    /** From the first record leaving the source to the last reaching a sink: wall and CPU time of this JVM. */
    record Measured(long count, double seconds, double cpuSeconds, double wallSeconds) {
        double rate() {
            return count / seconds;
        }

        double cores() {
            return cpuSeconds / wallSeconds;
        }

        double perCpuSecond() {
            return count / cpuSeconds;
        }
    }

    private Measured execute(Load load, boolean pipeline) throws Exception {
        return execute(load, pipeline, config(), null);
    }

    /** The in-job figure's pipeline: no broker, no external sink, checkpoints too rare to land in a run. */
    static PipelineConfig config() {
        PipelineConfig config = BenchConfig.pipeline(1, 1, 1, "in-job", null, "none", null, "none");
        config.job.checkpointInterval = java.time.Duration.ofMinutes(10);
        return config;
    }

    /** Runs the memory source through the pipeline (or straight into a sink) with this config; {@code between} may
     * add an operator between the source and decode. */
    static Measured execute(Load load, boolean pipeline, PipelineConfig config,
            MapFunction<MqttMessage, MqttMessage> between) throws Exception {
        current = load;
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        Timing.reset();
        InMemoryMetrics.reset();
        DataStream<MqttMessage> messages = env.fromSource(new DataGeneratorSource<>(InJobScenario::message, load.count,
                TypeInformation.of(MqttMessage.class)), WatermarkStrategy.noWatermarks(), "memory-source");
        if (pipeline) {
            DataStream<MqttMessage> probed = messages.map(new StartProbe()).name("start-probe");
            if (between != null) {
                probed = probed.map(between).name("injected");
            }
            WindroseJob.Pipeline p = WindroseJob.process(probed, config);
            if (config.sinks.kafka.enabled || config.sinks.influxdb.enabled) {
                WindroseJob.sinks(p, config);
            }
            p.aggregates().sinkTo(new TimingSink<>());
            p.alerts().sinkTo(new TimingSink<>());
            p.deadLetters().sinkTo(new TimingSink<>());
            p.late().sinkTo(new TimingSink<>());
        } else {
            messages.sinkTo(new TimingSink<>());
        }
        env.execute(pipeline ? "in-job-pipeline" : "in-job-baseline");
        long decoded = InMemoryMetrics.count("readingsDecoded");
        if (pipeline && decoded < load.count) { // a figure of readings that never reached the windows means nothing
            throw new IllegalStateException("only " + decoded + " of " + load.count + " readings were decoded; the rest"
                    + " became dead letters (see windrose.deadLetters.* in the log) — the measurement would be void");
        }
        double seconds = (Timing.LAST.get() - Timing.FIRST.get()) / 1e9;
        double cpuSeconds = (Timing.LAST_CPU.get() - Timing.FIRST_CPU.get()) / 1e9;
        return new Measured(load.count, seconds, cpuSeconds, seconds);
    }

    static MqttMessage message(long index) {
        Load load = current;
        int i = (int) index;
        // arrival = the reading's own time, as from a device with a good clock (else: FUTURE_TIMESTAMP dead letters)
        return new MqttMessage(load.topic(i), load.payloads[i], load.timestamp(i));
    }

    /** First and last record times, shared by the probes and sinks of one run. */
    static final class Timing {
        static final AtomicLong FIRST = new AtomicLong();
        static final AtomicLong LAST = new AtomicLong();
        static final AtomicLong FIRST_CPU = new AtomicLong();
        static final AtomicLong LAST_CPU = new AtomicLong();

        static void reset() {
            FIRST.set(0);
            LAST.set(0);
            FIRST_CPU.set(0);
            LAST_CPU.set(0);
        }

        static void start() {
            if (FIRST.compareAndSet(0, System.nanoTime())) {
                FIRST_CPU.set(Cpu.thisProcessNanos());
            }
        }

        static void seen() {
            start();
            LAST.accumulateAndGet(System.nanoTime(), Math::max);
            LAST_CPU.accumulateAndGet(Cpu.thisProcessNanos(), Math::max);
        }
    }

    static final class StartProbe implements MapFunction<MqttMessage, MqttMessage> {
        private boolean started;

        @Override
        public MqttMessage map(MqttMessage message) {
            if (!started) {
                started = true;
                Timing.start();
            }
            return message;
        }
    }

    static final class TimingSink<T> implements Sink<T> {
        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                private long n;

                @Override
                public void write(T element, Context ctx) {
                    if ((++n & 1023) == 1) {
                        Timing.seen();
                    }
                }

                @Override
                public void flush(boolean endOfInput) {
                    if (n > 0) {
                        Timing.seen();
                    }
                }

                @Override
                public void close() {}
            };
        }
    }
}
