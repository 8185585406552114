package io.windrose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.WindroseJob;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Scenario 1: the same pre-generated load published at full speed (a) to a bare counting subscriber — the broker's
 * limit —, (b) through the hand-written peer script ({@link SeedPeer}) and (c) through the Windrose job (windows, a
 * threshold rule, the InfluxDB sink; Kafka off, as the peer writes InfluxDB only). (b) and (c) count as finished when
 * every reading is in an InfluxDB point: the peer flushes its open windows when the load has arrived; Windrose's last
 * windows are closed by readings of a sensor "closer" a minute of event time after the load (the watermark passes
 * them), published right after it on the same connection.
 */
final class BrokerVsJobScenario {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MosquittoServer mosquitto;
    private final KafkaServer kafka;
    private final InfluxServer influx;
    private final Results results;
    private int run;
    private int warmUpReadings;

    BrokerVsJobScenario(MosquittoServer mosquitto, KafkaServer kafka, InfluxServer influx, Results results) {
        this.mosquitto = mosquitto;
        this.kafka = kafka;
        this.influx = influx;
        this.results = results;
    }

    /** Messages per second the broker delivers to the leanest subscriber we have. */
    double brokerLimit(Load load, int qos) throws Exception {
        long brokerCpu0 = Cpu.processNanos(mosquitto.process().pid());
        java.util.Map<String, Long> threads0 = Cpu.threadNanosByName();
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
                    "subscriber_cpu_us_per_message", (Cpu.threadNanosByName().getOrDefault("raw-subscriber", 0L)
                            - threads0.getOrDefault("raw-subscriber", 0L)) / 1e3 / received,
                    "client", "raw-socket MQTT 3.1.1 (bench/RawMqtt)");
            return rate;
        }
    }

    /**
     * The load through the job's MQTT client alone, out of the box ({@link HiveMqSubscriber}): its messages per second
     * and CPU per message, next to the raw-socket subscriber's (the broker limit's), to tell the client's share of the
     * job's cost.
     */
    void client(Load load, int qos, double brokerRate) throws Exception {
        long jvmCpu0 = Cpu.thisProcessNanos();
        long benchThreadCpu0 = Cpu.thisThreadNanos();
        java.util.Map<String, Long> threads0 = Cpu.threadNanosByName();
        try (HiveMqSubscriber subscriber = new HiveMqSubscriber(mosquitto.port(), "bench-hivemq-" + (++run),
                "sensors/+/+", qos)) {
            long start = System.nanoTime();
            publish(load, qos);
            awaitCount(subscriber.received::get, load.count, Duration.ofSeconds(60));
            long received = subscriber.received.get();
            // the last acks go out within the acker's second
            Thread.sleep(qos > 0 ? 1_100 : 0);
            double cpuSeconds = (Cpu.thisProcessNanos() - jvmCpu0 - (Cpu.thisThreadNanos() - benchThreadCpu0)) / 1e9;
            double seconds = (subscriber.lastNanos - start) / 1e9;
            double rate = received / seconds;
            results.add("mqtt-client-qos" + qos, "msgs_per_s", rate, "ratio_to_broker", rate / brokerRate,
                    "messages", received, "published", load.count, "cpu_us_per_message", cpuSeconds * 1e6 / received,
                    "cpu_us_per_message_by_thread", Cpu.split(threads0, Cpu.threadNanosByName(), received, 6),
                    "client", "HiveMQ MQTT 5 out of the box (the job adds flush consolidation for acks), nothing behind it"
                            + (qos > 0 ? "; acks every 1 s" : ""));
        }
    }

    /** The peer's messages per second and CPU per reading, or null without the peer script. */
    Peer peer(Load load, int qos, double brokerRate) throws Exception {
        Path script = SeedPeer.script();
        if (script == null) {
            return null;
        }
        String database = "peer" + (++run);
        try (SeedPeer peer = new SeedPeer(script, mosquitto.port(), influx.port(), qos, load.count, database)) {
            long influxd0 = quietInfluxd();
            long start = System.nanoTime();
            publish(load, qos);
            SeedPeer.Result result = peer.await();
            long influxdNanos = Cpu.processNanos(influx.process().pid()) - influxd0;
            double seconds = (result.endNanos() - start) / 1e9;
            double rate = result.received() / seconds;
            double cpuPerReading = result.cpuSeconds() * 1e6 / result.received();
            double influxdPerReading = Stats.cpuMicrosPerReading(influxdNanos, result.received());
            results.add("peer-qos" + qos, "msgs_per_s", rate, "ratio_to_broker", rate / brokerRate, "messages",
                    result.received(), "published", load.count, "counted_in_influxdb", countedInInflux(database, "count"),
                    "seconds", seconds, "cpu_us_per_reading", cpuPerReading,
                    "influxd_cpu_us_per_reading", influxdPerReading,
                    "peer", "seed_pipeline.py (paho-mqtt, json.loads, one field's 10 s window, InfluxDB batches of 5000)");
            return new Peer(rate, cpuPerReading, influxdPerReading);
        }
    }

    /** The peer's figures of the same QoS, for the ratios. */
    record Peer(double rate, double cpuPerReading, double influxdCpuPerReading) {}

    /** The figures of one Windrose run, for the ratios of the runs after it. */
    record Run(double rate, double cpuPerReading, double influxdCpuPerReading) {}

    /** What the job writes besides InfluxDB. */
    enum Sinks {
        /** InfluxDB only, as the peer writes. */
        OFF("", "InfluxDB; Kafka off"),
        /** InfluxDB and the Kafka sinks (aggregates, alerts, dead letters, late readings), without the archive. */
        KAFKA("-kafka", "InfluxDB and Kafka (aggregates, alerts, dead letters, late); archive off"),
        /** As KAFKA, with the archive of readings ({@code sinks.kafka.readings-topic}). */
        ARCHIVE("-archive", "InfluxDB and Kafka with the archive of readings (readings-topic)");

        final String suffix;
        final String description;

        Sinks(String suffix, String description) {
            this.suffix = suffix;
            this.description = description;
        }
    }

    /** Messages per second through the whole Windrose job, and the ratio to the broker's limit and the peer. */
    Run windrose(Load load, int qos, int parallelism, double brokerRate, Peer peer) throws Exception {
        return windrose(load, qos, parallelism, brokerRate, peer, Sinks.OFF, null, null);
    }

    /**
     * As {@link #windrose(Load, int, int, double, Peer)} with other sinks; {@code kafkaOff}: the same run's figures with
     * Kafka off, for the ratio and the CPU the sinks add; {@code repeat}: the run's number in a --repeat series.
     */
    Run windrose(Load load, int qos, int parallelism, double brokerRate, Peer peer, Sinks sinks, Run kafkaOff,
            Integer repeat) throws Exception {
        return run(load, qos, parallelism, brokerRate, peer, sinks, kafkaOff, repeat,
                "e2e-qos" + qos + (parallelism > 1 ? "-p" + parallelism : "") + sinks.suffix);
    }

    /** influxd's CPU now, after waiting (up to 10 s) for its work of an earlier run (compactions) to end. */
    private long quietInfluxd() throws InterruptedException {
        long pid = influx.process().pid();
        Cpu.awaitProcessQuiet(pid, 10_000_000, Duration.ofSeconds(10));
        return Cpu.processNanos(pid);
    }

    /**
     * One unmeasured pass of the load through the job at each QoS, so that the JIT has compiled the MQTT client, the
     * source and the sinks as in a job that has run for a while (the in-job warm-up covers the stages only): in quick
     * runs the compiler threads had otherwise taken 26-50 µs per reading, half the job's CPU. Full runs pass the whole
     * measured load (1,000,000 readings): after 100,000 the compilers still took 3.7-4.2 µs per reading of the measured
     * run, after 300,000 1.6-2.3 (a recording of the compilations: ~1,400 in the 30 s of a measured run, C2 recompiling
     * code that runs per checkpoint, per InfluxDB write over the JDK's HTTP client or per Netty buffer rather than per
     * reading).
     */
    void warmUp(Load load, boolean kafkaSinks) throws Exception {
        warmUpReadings = load.count;
        for (int qos = 0; qos <= 1; qos++) {
            run(load, qos, 1, 1, null, Sinks.OFF, null, null, null);
        }
        if (kafkaSinks) {
            // the Kafka producers, the sinks' Avro and the archive compiled too (their code does not depend on the QoS)
            run(load, 0, 1, 1, null, Sinks.ARCHIVE, null, null, null);
        }
    }

    /** One run of the job over the load; its figures are added under {@code scenario} (not when it is null). */
    private Run run(Load load, int qos, int parallelism, double brokerRate, Peer peer, Sinks sinks, Run kafkaOff,
            Integer repeat, String scenario) throws Exception {
        int id = ++run;
        String database = "bench" + id;
        influx.createDatabase(database);
        PipelineConfig config = BenchConfig.load(BenchConfig.yaml(mosquitto.port(), qos, parallelism, "bench-" + id,
                influx.v1Url(), database, sinks == Sinks.OFF ? null : kafka.bootstrapServers(), "bench" + id,
                sinks == Sinks.ARCHIVE));
        if (sinks != Sinks.OFF) {
            Topics.create(kafka.bootstrapServers(), config.sinks.kafka);
        }
        InMemoryMetrics.reset();
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.build(env, config);
        JobClient job = env.executeAsync("bench-e2e-" + id);
        try {
            String filter = parallelism > 1 ? "$share/bench-" + id + "/sensors/+/+" : "sensors/+/+";
            for (int subtask = 0; subtask < parallelism; subtask++) {
                mosquitto.awaitSubscription("bench-" + id + "-" + subtask, filter, Duration.ofSeconds(60));
            }
            // the compilations the job's start queued are not the readings' cost
            Cpu.awaitCompilerQuiet(Duration.ofSeconds(20));
            long influxd0 = quietInfluxd();
            long kafka0 = Cpu.processNanos(kafka.process().pid());
            long brokerCpu0 = Cpu.processNanos(mosquitto.process().pid());
            long jvmCpu0 = Cpu.thisProcessNanos();
            long benchThreadCpu0 = Cpu.thisThreadNanos(); // the publisher and the polling run on this thread
            java.util.Map<String, Long> threads0 = Cpu.threadNanosByName();
            long start = System.nanoTime();
            // on the publisher's connection, after the load: a closer on a connection of its own could overtake the
            // load's tail at the broker and make it late (seen at QoS 0: 14% of the readings late)
            publish(load, qos, 2 * parallelism);
            // Flink's own per-task time split, sampled mid-run: where does each task spend its time?
            java.util.Map<String, Double> timeSplit = new java.util.LinkedHashMap<>();
            Thread sampler = new Thread(() -> {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    return;
                }
                // the source chain (MQTT, decode, event time) and the keyed chain after the one shuffle (dedup,
                // windows, alerts, sinks)
                for (String task : java.util.List.of("Source: mqtt-source", "window-aggregates")) {
                    String key = task.startsWith("Source") ? "source" : "keyed";
                    timeSplit.put(key + "_busy_ms_per_s", InMemoryMetrics.taskGauge(task, "busyTimeMsPerSecond"));
                    timeSplit.put(key + "_backpressured_ms_per_s", InMemoryMetrics.taskGauge(task, "backPressuredTimeMsPerSecond"));
                    timeSplit.put(key + "_idle_ms_per_s", InMemoryMetrics.taskGauge(task, "idleTimeMsPerSecond"));
                }
            }, "time-split-sampler");
            sampler.start();
            // every window of the load written: each sensor's readings in 10 s windows of 10 readings
            long windows = (long) load.sensors * ((load.count / load.sensors + 9) / 10);
            long end = awaitCount(() -> InMemoryMetrics.count("pointsWritten", "influxdb-aggregates"), windows,
                    Duration.ofSeconds(180));
            double jobCpuSeconds = (Cpu.thisProcessNanos() - jvmCpu0 - (Cpu.thisThreadNanos() - benchThreadCpu0)) / 1e9;
            long influxdNanos = Cpu.processNanos(influx.process().pid()) - influxd0;
            long kafkaNanos = Cpu.processNanos(kafka.process().pid()) - kafka0;
            java.util.Map<String, Long> threads1 = Cpu.threadNanosByName();
            sampler.join();
            double seconds = (end - start) / 1e9;
            long decoded = InMemoryMetrics.count("readingsDecoded") - 2 * parallelism; // without the closers
            long counted = countedInInflux(database, "temperature_count");
            double rate = counted / seconds;
            double cpuPerReading = jobCpuSeconds * 1e6 / counted;
            double influxdPerReading = Stats.cpuMicrosPerReading(influxdNanos, counted);
            java.util.List<Object> figure = new java.util.ArrayList<>(java.util.List.of(
                    "msgs_per_s", rate, "ratio_to_broker", rate / brokerRate));
            if (repeat != null) {
                figure.addAll(java.util.List.of("repeat", repeat));
            }
            if (kafkaOff != null) {
                figure.addAll(java.util.List.of("ratio_to_kafka_off", rate / kafkaOff.rate(),
                        "cpu_us_per_reading_over_kafka_off", cpuPerReading - kafkaOff.cpuPerReading()));
            }
            if (peer != null) {
                figure.addAll(java.util.List.of("ratio_to_peer", rate / peer.rate(), "peer_msgs_per_s", peer.rate(),
                        "peer_cpu_us_per_reading", peer.cpuPerReading(),
                        // the job's CPU per reading against the peer's in the same run: absolute µs move with the
                        // machine (the peer itself took 14.6 µs per reading where issue 17 was measured, 30-43 here)
                        "cpu_ratio_to_peer", cpuPerReading / peer.cpuPerReading(),
                        "influxd_cpu_ratio_to_peer", influxdPerReading / peer.influxdCpuPerReading()));
            }
            figure.addAll(java.util.List.of("cpu_us_per_reading", cpuPerReading,
                    "influxd_cpu_us_per_reading", influxdPerReading, "sinks", sinks.description));
            if (sinks != Sinks.OFF) {
                figure.addAll(java.util.List.of("kafka_cpu_us_per_reading", Stats.cpuMicrosPerReading(kafkaNanos, counted)));
            }
            figure.addAll(java.util.List.of(
                    "messages", decoded, "counted_in_influxdb", counted, "published", load.count,
                    "lost", load.count - counted, "late", InMemoryMetrics.count("lateReadings"), "parallelism", parallelism, "seconds", seconds,
                    "broker_cpu_cores", (Cpu.processNanos(mosquitto.process().pid()) - brokerCpu0) / 1e9 / seconds,
                    "job_cpu_cores", jobCpuSeconds / seconds,
                    "cpu_us_per_reading_by_thread", Cpu.split(threads0, threads1, counted, 12),
                    "jit_warm_up", "one unmeasured pass of " + warmUpReadings + " readings per QoS; compilers quiet at start",
                    "checkpoint_interval_ms", config.job.checkpointInterval.toMillis(),
                    "end", "every reading in InfluxDB; last windows closed by readings 60 s of event time later"));
            timeSplit.forEach((k, v) -> {
                figure.add(k);
                figure.add(v);
            });
            if (scenario != null) {
                results.add(scenario, figure.toArray());
            }
            return new Run(rate, cpuPerReading, influxdPerReading);
        } finally {
            job.cancel().get();
        }
    }

    /** Sum of a count field over the database's points, except the closer's: the readings InfluxDB holds. */
    long countedInInflux(String database, String countField) {
        try {
            JsonNode series = JSON.readTree(influx.query(database, "SELECT sum(\"" + countField + "\") FROM /.*/ WHERE "
                    + "sensor != 'closer'")).path("results").path(0).path("series");
            long sum = 0;
            for (JsonNode s : series) {
                sum += s.path("values").path(0).path(1).asLong();
            }
            return sum;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void publish(Load load, int qos) throws Exception {
        publish(load, qos, 0);
    }

    /**
     * The load, then {@code closers} readings of a sensor "closer" a minute of event time after it: the watermark passes
     * every window of the load (several, so that each reader of a shared subscription gets one: Mosquitto deals them
     * round-robin).
     */
    void publish(Load load, int qos, int closers) throws Exception {
        try (RawMqtt.Publisher publisher = new RawMqtt.Publisher(mosquitto.port(), "bench-publisher-" + (++run), qos, 1000)) {
            for (int i = 0; i < load.count + closers; i++) {
                byte[] frame = i < load.count ? RawMqtt.publishFrame(load.topic(i), load.payloads[i], qos)
                        : RawMqtt.publishFrame("sensors/site-a/closer", ("{\"sensor\":\"closer\",\"ts\":"
                                + (load.timestamp(load.count - 1) + 60_000 + i - load.count) + ",\"temperature\":0}")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8), qos);
                publisher.publish(frame, qos > 0 ? RawMqtt.packetIdOffset(frame) : 0);
            }
            publisher.flush();
            publisher.awaitAcks(load.count + closers, 60_000);
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
