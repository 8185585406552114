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
 * each e2e Windrose run at parallelism 1 ({@link Profiler}).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--chart")) {
            redraw(Path.of(args[1]));
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        boolean profile = List.of(args).contains("--profile");
        Path out = Path.of("bench/results");
        // replay adds 20-30 s: not in the quick set (under 3 minutes), run it there with --scenarios replay
        List<String> scenarios = quick ? List.of("e2e", "in-job", "latency", "keys", "recovery", "windows")
                : List.of("e2e", "in-job", "latency", "replay", "keys", "recovery", "windows");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else if (args[i].equals("--scenarios")) {
                scenarios = List.of(args[++i].split(","));
            }
        }
        Files.createDirectories(out);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path jsonl = out.resolve((quick ? "quick-" : "full-") + stamp + ".jsonl");
        Results results = new Results(jsonl);
        long started = System.nanoTime();

        int e2eMessages = quick ? 100_000 : 1_000_000;
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
            if (scenarios.contains("e2e")) {
                progress("warm-up: one unmeasured pass through MQTT and the job per QoS");
                e2e.warmUp(quick ? new Load(20_000, 1_000) : load);
            }
            double maxRate = 0;
            for (int qos : scenarios.contains("e2e") ? new int[] {0, 1} : new int[0]) {
                progress("scenario 1, QoS " + qos + ": broker limit");
                double broker = e2e.brokerLimit(load, qos);
                progress("scenario 1, QoS " + qos + ": the job's MQTT client alone");
                e2e.client(load, qos, broker);
                progress("scenario 1, QoS " + qos + ": the peer script (seed_pipeline.py)");
                BrokerVsJobScenario.Peer peer = e2e.peer(load, qos, broker);
                progress("scenario 1, QoS " + qos + ": Windrose, parallelism 1");
                double rate;
                try (Profiler profiler = profile ? new Profiler(out, "e2e-qos" + qos) : null) {
                    rate = e2e.windrose(load, qos, 1, broker, peer);
                }
                maxRate = qos == 1 ? rate : maxRate;
                progress("scenario 1, QoS " + qos + ": Windrose, parallelism 2");
                e2e.windrose(load, qos, 2, broker, peer);
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
