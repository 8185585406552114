package io.windrose.bench;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.flink.util.FileUtils;

/**
 * Runs the benchmarks: starts its own Mosquitto, Kafka and InfluxDB on free loopback ports, measures each scenario
 * against a baseline in the same run, prints one JSON line per figure and a summary table, and draws a PNG chart.
 * {@code --quick}: a smaller load, under 3 minutes on 2 cores. {@code --profile}: a flight recording and flame graph of
 * each e2e Windrose run at parallelism 1 ({@link Profiler}). {@code --repeat N}: the peer and Windrose in turn N times,
 * the median ratio with its spread ({@link Repeats}). The scenarios and options: {@code bench/run --help}.
 */
public final class BenchMain {
    static final List<String> SCENARIOS = List.of("e2e", "e2e-kafka", "e2e-archive", "startup", "waiting", "in-job",
            "latency", "replay", "keys", "recovery", "windows");

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--chart")) {
            redraw(Path.of(args[1]));
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        boolean profile = List.of(args).contains("--profile");
        Path out = Path.of("bench/results");
        // replay adds 20-30 s, startup, e2e-kafka, e2e-archive and waiting 3-4 minutes: not in the quick set (under 3
        // minutes), run them there with --scenarios
        List<String> scenarios = quick ? List.of("e2e", "in-job", "latency", "keys", "recovery", "windows")
                : List.of("e2e", "startup", "e2e-kafka", "e2e-archive", "in-job", "latency", "replay", "keys", "recovery",
                        "windows", "waiting");
        int repeat = 1;
        Integer e2eReadings = null;
        int startupReadings = 300_000;
        int waitingSeconds = quick ? 20 : 60;
        int[] qosLevels = {0, 1};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(args[++i]);
                case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--readings" -> e2eReadings = Integer.parseInt(args[++i]);
                case "--startup-readings" -> startupReadings = Integer.parseInt(args[++i]);
                case "--waiting-seconds" -> waitingSeconds = Integer.parseInt(args[++i]);
                case "--qos" -> qosLevels = java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--quick", "--profile" -> { }
                default -> {
                    System.err.println("bench: unknown option " + args[i] + " (bench/run --help)");
                    System.exit(2);
                }
            }
        }
        List<String> unknown = scenarios.stream().filter(sc -> !SCENARIOS.contains(sc)).toList();
        if (!unknown.isEmpty() || repeat < 1) {
            System.err.println("bench: unknown scenario(s) " + unknown + " or --repeat below 1; scenarios: " + SCENARIOS);
            System.exit(2);
        }
        boolean e2eSet = scenarios.stream().anyMatch(sc -> sc.startsWith("e2e"));
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path jsonl = out.resolve((quick ? "quick-" : "full-") + stamp + ".jsonl");
        Results results = new Results(jsonl);
        long started = System.nanoTime();

        int e2eMessages = e2eReadings != null ? e2eReadings : quick ? 100_000 : 1_000_000;
        int inJobReadings = quick ? 300_000 : 2_000_000;
        progress("generating " + e2eMessages + " canonical readings over 1,000 sensors");
        Load load = new Load(e2eMessages, 1_000);
        progress(String.format("average payload %.0f bytes", load.averagePayloadBytes()));

        Path dir = Files.createTempDirectory("windrose-bench-");
        progress("starting Mosquitto, Kafka (KRaft) and InfluxDB in " + dir);
        try (MosquittoServer mosquitto = new MosquittoServer(Ports.free(), dir.resolve("mosquitto"),
                     List.of("max_queued_messages 0", "max_queued_bytes 0"))
                     .start();
             KafkaServer kafka = new KafkaServer(Ports.free(), Ports.free(), dir.resolve("kafka")).start();
             InfluxServer influx = new InfluxServer(Ports.free(), Ports.free(), Ports.free(), dir.resolve("influxdb")).start()) {
            BrokerVsJobScenario e2e = new BrokerVsJobScenario(mosquitto, kafka, influx, results);
            progress("warm-up: one pass of the pipeline so the JIT has compiled it before anything is measured");
            InJobScenario.execute(load, true, BenchConfig.pipeline(1, 1, 1, "warm-up", null, "none", null, "none"), null);
            boolean kafkaSinks = scenarios.contains("e2e-kafka") || scenarios.contains("e2e-archive");
            if (e2eSet) {
                progress("warm-up: one unmeasured pass through MQTT and the job per QoS"
                        + (kafkaSinks ? ", and one with the Kafka sinks and the archive" : ""));
                e2e.warmUp(quick && e2eReadings == null ? new Load(20_000, 1_000) : load, kafkaSinks);
            }
            double maxRate = 0;
            java.util.Map<Integer, BrokerVsJobScenario.Peer> peers = new java.util.HashMap<>();
            for (int qos : e2eSet ? qosLevels : new int[0]) {
                progress("scenario 1, QoS " + qos + ": broker limit");
                double broker = e2e.brokerLimit(load, qos);
                progress("scenario 1, QoS " + qos + ": the job's MQTT client alone");
                e2e.client(load, qos, broker);
                // the peer and Windrose in turn, --repeat times: ratios pair by pair, then their median and spread
                List<BrokerVsJobScenario.Peer> peerRuns = new java.util.ArrayList<>();
                List<BrokerVsJobScenario.Run> runs = new java.util.ArrayList<>();
                for (int r = 1; r <= repeat; r++) {
                    String of = repeat > 1 ? " (" + r + " of " + repeat + ")" : "";
                    progress("scenario 1, QoS " + qos + ": the peer script (seed_pipeline.py)" + of);
                    BrokerVsJobScenario.Peer peer = e2e.peer(load, qos, broker);
                    progress("scenario 1, QoS " + qos + ": Windrose, parallelism 1" + of);
                    try (Profiler profiler = profile && r == 1 ? new Profiler(out, "e2e-qos" + qos) : null) {
                        runs.add(e2e.windrose(load, qos, 1, broker, peer, BrokerVsJobScenario.Sinks.OFF, null,
                                repeat > 1 ? r : null));
                    }
                    if (peer != null) {
                        peerRuns.add(peer);
                    }
                }
                BrokerVsJobScenario.Peer peer = peerRuns.isEmpty() ? null : Repeats.medianPeer(peerRuns);
                BrokerVsJobScenario.Run windrose = Repeats.medianRun(runs);
                peers.put(qos, peer);
                if (repeat > 1) {
                    results.add("e2e-qos" + qos + "-median", Repeats.figure(runs, peerRuns, broker).toArray());
                }
                if (peer != null) {
                    results.add("influxd-qos" + qos, "cpu_us_per_reading", windrose.influxdCpuPerReading(),
                            "ratio_to_baseline", windrose.influxdCpuPerReading() / peer.influxdCpuPerReading(),
                            "peer_cpu_us_per_reading", peer.influxdCpuPerReading(),
                            "what", "influxd's CPU per reading written: Windrose's points (ratio) against the peer's"
                                    + (repeat > 1 ? ", medians of " + repeat + " runs each" : ""));
                }
                maxRate = qos == 1 ? windrose.rate() : maxRate;
                if (scenarios.contains("e2e")) {
                    progress("scenario 1, QoS " + qos + ": Windrose, parallelism 2");
                    e2e.windrose(load, qos, 2, broker, peer);
                }
                for (BrokerVsJobScenario.Sinks sinks : List.of(BrokerVsJobScenario.Sinks.KAFKA, BrokerVsJobScenario.Sinks.ARCHIVE)) {
                    if (scenarios.contains("e2e" + sinks.suffix)) {
                        progress("scenario 1, QoS " + qos + ": Windrose, parallelism 1, " + sinks.description);
                        e2e.windrose(load, qos, 1, broker, peer, sinks, windrose, null);
                    }
                }
            }
            if (scenarios.contains("startup")) {
                JobProcessScenario jobs = new JobProcessScenario(mosquitto, influx, e2e, results, dir);
                for (int qos : qosLevels) {
                    progress("scenario 8, QoS " + qos + ": start-up, the first " + startupReadings
                            + " readings of a job just started (a JVM of its own), then as many again");
                    jobs.startup(qos, startupReadings, peers.get(qos));
                }
            }
            if (scenarios.contains("waiting")) {
                progress("scenario 9: the cost of waiting, 10 and 100 readings/s for " + waitingSeconds
                        + " s each (the peer, then a job of its own)");
                new JobProcessScenario(mosquitto, influx, e2e, results, dir).waiting(new int[] {10, 100}, waitingSeconds);
            }
            if (scenarios.contains("latency")) {
                double rate = (maxRate > 0 ? maxRate : 10_000) / 2;
                progress(String.format("scenario 3: alert latency at %.0f msgs/s (half the QoS 1 maximum)", rate));
                new AlertLatencyScenario(mosquitto, kafka, influx, results).run(new Load(quick ? 40_000 : 200_000, 1_000, 20_000), rate, 1);
            }
            load = null;
            if (scenarios.contains("in-job")) {
                progress("scenario 2: in-job throughput without a broker (" + inJobReadings + " readings)");
                new InJobScenario(results).run(new Load(inJobReadings, 1_000));
            }
            if (scenarios.contains("replay")) {
                int readings = quick ? 200_000 : 1_000_000;
                progress("scenario 7: replay vs the live pipeline over the same " + readings + " readings");
                new ReplayScenario(kafka, results).run(new Load(readings, 1_000));
            }
            if (scenarios.contains("keys")) {
                for (int sensors : quick ? new int[] {1_000, 100_000} : new int[] {1_000, 100_000, 1_000_000}) {
                    // RocksDB at 1M sensors in the mini-cluster (small managed memory: reads hit disk) takes over 10 minutes
                    for (String backend : quick ? new String[] {"hashmap"}
                            : sensors >= 1_000_000 ? new String[] {"hashmap"} : new String[] {"hashmap", "rocksdb"}) {
                        progress("scenario 4: " + sensors + " sensors, " + backend + " state backend");
                        new KeyScaleScenario(results).run(sensors, backend);
                    }
                }
            }
            if (scenarios.contains("windows")) {
                progress("scenario 6: window kinds and statistics, 10,000 sensors");
                new WindowVariantsScenario(results).run(new Load(quick ? 200_000 : 600_000, 10_000));
            }
            if (scenarios.contains("recovery")) {
                progress("scenario 5: recovery from an injected failure, exactly-once Kafka");
                new RecoveryScenario(kafka, results).run(quick ? 150_000 : 500_000);
            }
        }

        // the services' data (up to 1.3 GB after a full run) goes; the figures stay in the .jsonl file
        FileUtils.deleteDirectory(dir.toFile());
        System.out.println();
        System.out.print(results.summary());
        Path chart = out.resolve((quick ? "quick-" : "full-") + stamp + ".png");
        Chart.write(results.figures(), "Windrose benchmark" + (quick ? " (quick)" : "") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + stamp, chart);
        System.out.printf("%nfigures: %s%nchart:   %s%ntook %.0f s%n", jsonl, chart, (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    /** Redraws the summary and the chart of an earlier run from its .jsonl file. */
    private static void redraw(Path jsonl) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Results results = new Results(Files.createTempFile("redraw", ".jsonl"));
        List<java.util.Map<String, Object>> figures = results.figures();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                figures.add(mapper.readValue(line, new com.fasterxml.jackson.core.type.TypeReference<
                        java.util.LinkedHashMap<String, Object>>() {}));
            }
        }
        System.out.print(results.summary());
        Path chart = Path.of(jsonl.toString().replaceFirst("\\.jsonl$", "") + ".png");
        Chart.write(figures, "Windrose benchmark, " + jsonl.getFileName().toString().replace(".jsonl", ""), chart);
        System.out.println("chart: " + chart);
    }

    static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
