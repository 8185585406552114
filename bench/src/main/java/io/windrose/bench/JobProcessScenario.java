package io.windrose.bench;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.ManagedProcess;
import io.windrose.localcluster.MosquittoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of a job in a process of its own, as users run it ({@code java -Xmx1g ... WindroseJob --config}, as
 * {@code local-cluster/up} starts it), where the benchmark's JVM cannot stand in: its CPU and memory are the process's,
 * read from /proc.
 * <ul>
 * <li>{@link #startup}: the first readings of a job just started (its JIT compiler cold) against a second pass of the
 * same size in the same process once its compilers are quiet (its steady state);
 * <li>{@link #waiting}: CPU and resident memory at a few readings per second (the cost of waiting), next to the peer
 * script's at the same rate.
 * </ul>
 */
final class JobProcessScenario {
    private final MosquittoServer mosquitto;
    private final InfluxServer influx;
    private final BrokerVsJobScenario e2e;
    private final Results results;
    private final Path dir;
    private int run;

    JobProcessScenario(MosquittoServer mosquitto, InfluxServer influx, BrokerVsJobScenario e2e, Results results, Path dir) {
        this.mosquitto = mosquitto;
        this.influx = influx;
        this.e2e = e2e;
        this.results = results;
        this.dir = dir;
    }

    /** The job in a JVM of its own, fresh state; returns once its MQTT reader has subscribed. */
    private ManagedProcess startJob(String name, int qos, String database) throws Exception {
        String yaml = BenchConfig.yaml(mosquitto.port(), qos, 1, name, influx.v1Url(), database, null, name, false);
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, yaml);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), "io.windrose.WindroseJob", "--config", config.toString());
        ManagedProcess job = ManagedProcess.start(name, command, dir, dir.resolve(name + ".log"),
                Map.of("WINDROSE_STATE_ROOT", dir.resolve(name + "-state").toString()));
        mosquitto.awaitSubscription(name + "-0", "sensors/+/+", Duration.ofSeconds(90));
        return job;
    }

    /**
     * The first {@code readings} readings at full speed through a job just started, then as many again (later event
     * times) once its compilers are quiet: rate and CPU of each pass, the JIT's share, and when the first pass's
     * output (readings in InfluxDB per second) first reached 90 % of the second pass's rate.
     */
    void startup(int qos, int readings, BrokerVsJobScenario.Peer peer) throws Exception {
        String name = "startup-" + (++run) + "-q" + qos;
        String database = name.replace('-', '_');
        influx.createDatabase(database);
        Load first = new Load(readings, 1_000);
        long launched = System.nanoTime();
        ManagedProcess job = startJob(name, qos, database);
        try {
            long pid = job.pid();
            long subscribed = System.nanoTime();
            long startCpu = ProcStat.processCpuNanos(pid);
            Pass one = pass(pid, first, qos, database, 0);
            Cpu.awaitCompilerQuiet(pid, Duration.ofSeconds(20));
            Pass two = pass(pid, new Load(readings, 1_000, 120_000, first.after()), qos, database, one.counted);
            long toSteady = Stats.timeToRate(one.times, one.counts, two.rate(), 0.9, 1_000_000_000L);
            List<Object> figure = new ArrayList<>(List.of("msgs_per_s", one.rate(),
                    "ratio_to_steady", one.rate() / two.rate(), "steady_msgs_per_s", two.rate()));
            if (peer != null) {
                figure.addAll(List.of("ratio_to_peer", one.rate() / peer.rate(), "peer_msgs_per_s", peer.rate(),
                        "cpu_ratio_to_peer", one.cpuPerReading() / peer.cpuPerReading()));
            }
            figure.addAll(List.of("cpu_us_per_reading", one.cpuPerReading(),
                    "steady_cpu_us_per_reading", two.cpuPerReading(),
                    "jit_cpu_us_per_reading", one.jitPerReading(), "steady_jit_cpu_us_per_reading", two.jitPerReading(),
                    "time_to_steady_s", toSteady < 0 ? "not within the first pass" : toSteady / 1e9,
                    "seconds", one.seconds(), "counted_in_influxdb", one.counted, "published", readings,
                    "start_seconds", (subscribed - launched) / 1e9, "start_cpu_s", startCpu / 1e9,
                    "job_cpu_s_to_end_of_first_pass", (startCpu + one.cpuNanos) / 1e9,
                    "rss_mb", one.rssBytes / 1048576.0, "steady_rss_mb", two.rssBytes / 1048576.0,
                    "cpu_us_per_reading_by_thread", one.byThread,
                    "job", "a JVM of its own (java -Xmx1g, the bench's classpath), parallelism 1, Kafka off",
                    "steady", "a second pass of as many readings in the same process, its compilers quiet first"));
            results.add("startup-qos" + qos, figure.toArray());
        } finally {
            job.kill();
        }
    }

    /** One pass's figures; {@code times}/{@code counts}: readings in InfluxDB over time, from its first publish. */
    private record Pass(long counted, long nanos, long cpuNanos, long jitNanos, long rssBytes, String byThread,
            long[] times, long[] counts) {
        double seconds() {
            return nanos / 1e9;
        }

        double rate() {
            return counted / seconds();
        }

        double cpuPerReading() {
            return Stats.cpuMicrosPerReading(cpuNanos, counted);
        }

        double jitPerReading() {
            return Stats.cpuMicrosPerReading(jitNanos, counted);
        }
    }

    private Pass pass(long pid, Load load, int qos, String database, long before) throws Exception {
        List<long[]> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        samples.add(new long[] {start, 0});
        long cpu0 = ProcStat.processCpuNanos(pid);
        Map<String, Long> threads0 = Cpu.threadNanosByName(pid);
        Thread sampler = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long count = e2e.countedInInflux(database, "temperature_count") - before;
                    samples.add(new long[] {System.nanoTime(), count});
                    if (count >= load.count) {
                        return;
                    }
                    Thread.sleep(100);
                }
            } catch (InterruptedException | RuntimeException e) {
                // stopped
            }
        }, "startup-sampler");
        sampler.start();
        e2e.publish(load, qos, 2);
        long end = BrokerVsJobScenario.awaitCount(() -> samples.get(samples.size() - 1)[1], load.count,
                Duration.ofSeconds(180));
        sampler.interrupt();
        sampler.join();
        long cpu = ProcStat.processCpuNanos(pid) - cpu0;
        Map<String, Long> threads1 = Cpu.threadNanosByName(pid);
        long jit = Cpu.compilerNanos(threads1) - Cpu.compilerNanos(threads0);
        long counted = e2e.countedInInflux(database, "temperature_count") - before;
        long[] times = samples.stream().mapToLong(s -> s[0]).toArray();
        long[] counts = samples.stream().mapToLong(s -> s[1]).toArray();
        return new Pass(counted, end - start, cpu, jit, ProcStat.rss(pid)[0],
                Cpu.split(threads0, threads1, Math.max(counted, 1), 8), times, counts);
    }

    /**
     * The job's CPU (% of a core) and resident memory over {@code seconds} at each of {@code rates} readings per second
     * (one reading a second from each of {@code rate} sensors, event time = now), in one job process after its start
     * and an unmeasured lead-in at the highest rate (compilers quiet first); before it, the peer script's at the same
     * rates.
     */
    void waiting(int[] rates, int seconds) throws Exception {
        int qos = 1;
        Map<Integer, double[]> peers = new java.util.HashMap<>();
        Path script = SeedPeer.script();
        for (int rate : script == null ? new int[0] : rates) {
            String database = "waitpeer" + (++run);
            try (SeedPeer peer = new SeedPeer(script, mosquitto.port(), influx.port(), qos, rate * seconds, database)) {
                long cpu0 = ProcStat.processCpuNanos(peer.pid());
                long start = System.nanoTime();
                long published = paced(rate, seconds, qos);
                long wall = System.nanoTime() - start;
                long cpu = ProcStat.processCpuNanos(peer.pid()) - cpu0;
                peers.put(rate, new double[] {Stats.cores(cpu, wall), ProcStat.rss(peer.pid())[0] / 1048576.0});
                peer.await();
            }
        }
        String name = "waiting-" + (++run);
        String database = name.replace('-', '_');
        influx.createDatabase(database);
        ManagedProcess job = startJob(name, qos, database);
        try {
            long pid = job.pid();
            // a job that has run for a while: an unmeasured lead-in at the highest rate compiles the per-reading code
            // and the timers' and checkpoints' (at 10 readings/s the JIT had otherwise taken 14 % of a core of a 5 s
            // window)
            Cpu.awaitCompilerQuiet(pid, Duration.ofSeconds(30));
            paced(java.util.Arrays.stream(rates).max().orElse(10), Math.min(seconds, 15), qos);
            Cpu.awaitCompilerQuiet(pid, Duration.ofSeconds(30));
            for (int rate : rates) {
                long cpu0 = ProcStat.processCpuNanos(pid);
                Map<String, Long> threads0 = Cpu.threadNanosByName(pid);
                long start = System.nanoTime();
                long published = paced(rate, seconds, qos);
                long wall = System.nanoTime() - start;
                long cpu = ProcStat.processCpuNanos(pid) - cpu0;
                Map<String, Long> threads1 = Cpu.threadNanosByName(pid);
                long[] rss = ProcStat.rss(pid);
                double cores = Stats.cores(cpu, wall);
                List<Object> figure = new ArrayList<>(List.of("readings_per_s", published / (wall / 1e9),
                        "job_cpu_pct_of_core", 100 * cores, "rss_mb", rss[0] / 1048576.0,
                        "rss_peak_mb", rss[1] / 1048576.0, "cpu_ms_per_reading", cpu / 1e6 / Math.max(published, 1),
                        "jit_pct_of_core", 100 * Stats.cores(Cpu.compilerNanos(threads1) - Cpu.compilerNanos(threads0), wall)));
                double[] peer = peers.get(rate);
                if (peer != null) {
                    figure.addAll(List.of("peer_cpu_pct_of_core", 100 * peer[0], "peer_rss_mb", peer[1],
                            "cpu_ratio_to_peer", cores / peer[0], "rss_ratio_to_peer", rss[0] / 1048576.0 / peer[1]));
                }
                figure.addAll(List.of("seconds", wall / 1e9, "published", published, "qos", qos,
                        // µs of CPU per 100 µs of wall time: % of a core
                        "cpu_pct_of_core_by_thread", Cpu.split(threads0, threads1, Math.max(1, wall / 100_000), 10),
                        "job", "a JVM of its own (java -Xmx1g), parallelism 1, checkpoints every 1 s, InfluxDB on, Kafka off"));
                results.add("waiting-" + rate + "-per-s", figure.toArray());
            }
        } finally {
            job.kill();
        }
    }

    /** Publishes {@code rate} readings a second for {@code seconds} (sensor i % rate, event time now); returns how many. */
    private long paced(int rate, int seconds, int qos) throws Exception {
        long total = (long) rate * seconds;
        long interval = 1_000_000_000L / rate;
        try (RawMqtt.Publisher publisher = new RawMqtt.Publisher(mosquitto.port(), "bench-paced-" + (++run), qos, 1000)) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                int s = (int) (i % rate);
                long ts = System.currentTimeMillis();
                byte[] payload = String.format(Locale.ROOT,
                        "{\"sensor\":\"%s\",\"ts\":%d,\"temperature\":%.2f,\"humidity\":%.2f,\"pressure\":%.1f,\"battery\":%.3f}",
                        Load.sensorId(s), ts, 22 + 9 * Math.sin(ts / 120_000.0 * 2 * Math.PI + s), 45.0, 1013.25, 3.7)
                        .getBytes(StandardCharsets.UTF_8);
                byte[] frame = RawMqtt.publishFrame("sensors/site-" + (char) ('a' + s % 8) + "/" + Load.sensorId(s),
                        payload, qos);
                publisher.publish(frame, qos > 0 ? RawMqtt.packetIdOffset(frame) : 0);
                publisher.flush();
            }
            publisher.awaitAcks(total, 10_000);
            return total;
        }
    }
}
