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

/**
 * Runs the benchmarks: starts its own Mosquitto, Kafka and InfluxDB on free loopback ports, measures each scenario
 * against a baseline in the same run, prints one JSON line per figure and a summary table, and draws a PNG chart.
 * {@code --quick}: a smaller load, under 3 minutes on 2 cores.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of("bench/results");
        List<String> scenarios = List.of("e2e", "in-job");
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

        int e2eMessages = quick ? 200_000 : 1_000_000;
        int inJobReadings = quick ? 500_000 : 2_000_000;
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
            for (int qos : scenarios.contains("e2e") ? new int[] {0, 1} : new int[0]) {
                progress("scenario 1, QoS " + qos + ": broker limit");
                double broker = e2e.brokerLimit(load, qos);
                progress("scenario 1, QoS " + qos + ": Windrose, parallelism 1");
                e2e.windrose(load, qos, 1, broker);
                progress("scenario 1, QoS " + qos + ": Windrose, parallelism 2");
                e2e.windrose(load, qos, 2, broker);
            }
            load = null;
            if (scenarios.contains("in-job")) {
                progress("scenario 2: in-job throughput without a broker (" + inJobReadings + " readings)");
                new InJobScenario(results).run(new Load(inJobReadings, 1_000));
            }
        }

        System.out.println();
        System.out.print(results.summary());
        Path chart = out.resolve((quick ? "quick-" : "full-") + stamp + ".png");
        Chart.write(results.figures(), "Windrose benchmark" + (quick ? " (quick)" : "") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + stamp, chart);
        System.out.printf("%nfigures: %s%nchart:   %s%ntook %.0f s%n", jsonl, chart, (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    static void progress(String message) {
        System.err.println("[bench] " + message);
    }
}
