package io.windrose.bench;

import io.windrose.WindroseJob;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Scenario 1: the same pre-generated load published at full speed (a) to a bare counting subscriber — the broker's
 * limit — and (b) through the Windrose job (windows, a threshold rule, InfluxDB and Kafka sinks on).
 */
final class BrokerVsJobScenario {
    private final MosquittoServer mosquitto;
    private final KafkaServer kafka;
    private final InfluxServer influx;
    private final Results results;
    private int run;

    BrokerVsJobScenario(MosquittoServer mosquitto, KafkaServer kafka, InfluxServer influx, Results results) {
        this.mosquitto = mosquitto;
        this.kafka = kafka;
        this.influx = influx;
        this.results = results;
    }

    /** Messages per second the broker delivers to the leanest subscriber we have. */
    double brokerLimit(Load load, int qos) throws Exception {
        long brokerCpu0 = Cpu.processNanos(mosquitto.process().pid());
        try (RawMqtt.CountingSubscriber subscriber = new RawMqtt.CountingSubscriber(mosquitto.port(),
                "bench-counter-" + (++run), "sensors/#", qos)) {
            long start = System.nanoTime();
            publish(load, qos);
            awaitCount(subscriber.received::get, load.count, Duration.ofSeconds(60));
            long received = subscriber.received.get();
            double seconds = (subscriber.lastNanos - start) / 1e9;
            double rate = received / seconds;
            results.add("broker-qos" + qos, "msgs_per_s", rate, "messages", received, "published", load.count,
                    "seconds", seconds, "broker_cpu_cores", (Cpu.processNanos(mosquitto.process().pid()) - brokerCpu0) / 1e9 / seconds,
                    "client", "raw-socket MQTT 3.1.1 (bench/RawMqtt)");
            return rate;
        }
    }

    /** Messages per second through the whole Windrose job, and the ratio to the broker's limit. */
    double windrose(Load load, int qos, int parallelism, double brokerRate) throws Exception {
        int id = ++run;
        String database = "bench" + id;
        influx.createDatabase(database);
        PipelineConfig config = BenchConfig.pipeline(mosquitto.port(), qos, parallelism, "bench-" + id, influx.url(),
                database, kafka.bootstrapServers(), "bench" + id);
        Topics.create(kafka.bootstrapServers(), config.sinks.kafka);
        InMemoryMetrics.reset();
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.build(env, config);
        JobClient job = env.executeAsync("bench-e2e-" + id);
        try {
            String filter = parallelism > 1 ? "$share/bench-" + id + "/sensors/+/+" : "sensors/+/+";
            for (int subtask = 0; subtask < parallelism; subtask++) {
                mosquitto.awaitSubscription("bench-" + id + "-" + subtask, filter, Duration.ofSeconds(60));
            }
            long brokerCpu0 = Cpu.processNanos(mosquitto.process().pid());
            long jvmCpu0 = Cpu.thisProcessNanos();
            long start = System.nanoTime();
            publish(load, qos);
            // Flink's own per-task time split, sampled mid-run: where does each task spend its time?
            java.util.Map<String, Double> timeSplit = new java.util.LinkedHashMap<>();
            Thread sampler = new Thread(() -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
                for (String task : java.util.List.of("Source", "window-aggregates", "threshold-alerts")) {
                    String key = task.equals("Source") ? "source" : task.startsWith("window") ? "window" : "alerts";
                    timeSplit.put(key + "_busy_ms_per_s", InMemoryMetrics.taskGauge(task, "busyTimeMsPerSecond"));
                    timeSplit.put(key + "_backpressured_ms_per_s", InMemoryMetrics.taskGauge(task, "backPressuredTimeMsPerSecond"));
                    timeSplit.put(key + "_idle_ms_per_s", InMemoryMetrics.taskGauge(task, "idleTimeMsPerSecond"));
                }
            }, "time-split-sampler");
            sampler.start();
            long end = awaitCount(() -> InMemoryMetrics.count("readingsDecoded") + InMemoryMetrics.count("MALFORMED"),
                    load.count, Duration.ofSeconds(120));
            sampler.join();
            double seconds = (end - start) / 1e9;
            long decoded = InMemoryMetrics.count("readingsDecoded");
            double rate = decoded / seconds;
            java.util.List<Object> figure = new java.util.ArrayList<>(java.util.List.of(
                    "msgs_per_s", rate, "ratio_to_broker", rate / brokerRate, "messages", decoded, "published", load.count,
                    "lost", load.count - decoded, "parallelism", parallelism, "seconds", seconds,
                    "broker_cpu_cores", (Cpu.processNanos(mosquitto.process().pid()) - brokerCpu0) / 1e9 / seconds,
                    "bench_jvm_cpu_cores", (Cpu.thisProcessNanos() - jvmCpu0) / 1e9 / seconds,
                    "checkpoint_interval_ms", config.job.checkpointInterval.toMillis()));
            timeSplit.forEach((k, v) -> {
                figure.add(k);
                figure.add(v);
            });
            results.add("e2e-qos" + qos + (parallelism > 1 ? "-p" + parallelism : ""), figure.toArray());
            return rate;
        } finally {
            job.cancel().get();
        }
    }

    private void publish(Load load, int qos) throws Exception {
        try (RawMqtt.Publisher publisher = new RawMqtt.Publisher(mosquitto.port(), "bench-publisher-" + (++run), qos, 1000)) {
            for (int i = 0; i < load.count; i++) {
                byte[] frame = RawMqtt.publishFrame(load.topic(i), load.payloads[i], qos);
                publisher.publish(frame, qos > 0 ? RawMqtt.packetIdOffset(frame) : 0);
            }
            publisher.flush();
            publisher.awaitAcks(load.count, 60_000);
        }
    }

    /** Waits until the count reaches {@code target} or stops moving for 10 s; returns when it last moved. */
    static long awaitCount(java.util.function.LongSupplier count, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = count.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            }
            if (now >= target || System.nanoTime() - lastChange > 10_000_000_000L) {
                return lastChange;
            }
            Thread.sleep(2);
        }
        return lastChange;
    }
}
