package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.testing.TestMqtt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.SoftAssertions;
import io.windrose.localcluster.LocalStackCheckout.Bash;
import org.junit.jupiter.api.Test;

/**
 * The README's "A 5-minute tour", run verbatim with bash from the repository root, twice (the second {@code up}
 * resumes the first one's saved state), while another Mosquitto holds 127.0.0.1:1883 — the one this test starts when
 * the port is free, or whatever already holds it — and something else holds Kafka's and InfluxDB's default ports (9092,
 * 8086), so the tour must follow the endpoints file for those too. From each run's output: {@code up} came up on another MQTT port and
 * printed it, the influx query printed the window the README shows, {@code consume} printed the dead letter, {@code
 * rules list} the shipped pipeline's rules; while the stack is up (the block is split at its {@code local-cluster/down}
 * line): every process of the stack listens on 127.0.0.1 only, Flink's {@code /config} says {@code web-submit: false}
 * and a jar upload is refused; after {@code down}: nothing of the stack runs, the other Mosquitto still answers.
 *
 * <p>It uses the checkout's {@code local-cluster/run}: it refuses to run while a stack is up there, and moves what is
 * there aside and back afterwards (the test's own is kept in {@code target/tour/run}, with each run's output and logs).
 * {@code -Dwindrose.tour.readme=FILE} reads the tour from another Markdown file with the same heading.
 */
class LocalStackTourITCase {
    private static final Path ROOT = LocalStackCheckout.ROOT;
    private static final Path RUN = LocalStackCheckout.RUN;
    private static final Path README = Path.of(System.getProperty("windrose.tour.readme", ROOT.resolve("README.md").toString()));
    private static final String HEADING = "## A 5-minute tour";
    private static final Path OUT = Path.of("target/tour").toAbsolutePath();
    private static final int OTHER_MQTT = 1883;
    private static final List<Integer> SQUATTED = List.of(9092, 8086);
    private static final List<String> COLUMNS = List.of("temperature_count", "temperature_min", "temperature_max",
            "temperature_mean", "temperature_stdev", "temperature_p95", "temperature_last");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theReadmeTourRunsVerbatimTwiceNextToAnotherMosquitto() throws Exception {
        List<String> block = tourBlock(Files.readAllLines(README));
        int down = 0;
        while (down < block.size() && !block.get(down).strip().startsWith("local-cluster/down")) {
            down++;
        }
        assertThat(down).as("the tour's block in " + README + " has a line 'local-cluster/down'").isBetween(1, block.size() - 1);
        String untilDown = String.join("\n", block.subList(0, down));
        String fromDown = String.join("\n", block.subList(down, block.size()));
        Map<String, String> documented = documentedRow(Files.readAllLines(README));

        Path saved = LocalStackCheckout.moveAside(OUT, "this test (the README's tour)");
        MosquittoServer other = null;
        List<ServerSocket> squatters = new ArrayList<>();
        SoftAssertions soft = new SoftAssertions();
        try {
            if (Ports.canBind(OTHER_MQTT)) {
                other = new MosquittoServer(OTHER_MQTT, OUT.resolve("other-mosquitto")).start();
            }
            // something else on Kafka's and InfluxDB's default ports too: the tour must follow the endpoints there as well
            for (int port : SQUATTED) {
                if (Ports.canBind(port)) {
                    squatters.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                }
            }
            for (int n = 1; n <= 2; n++) { // the second run resumes the first one's state
                try {
                    tour(n, untilDown, fromDown, other, documented, soft);
                } finally {
                    LocalStackCheckout.copyLogs(OUT, String.valueOf(n));
                }
            }
        } finally {
            LocalStackCheckout.restore(OUT, saved);
            if (other != null) {
                other.close();
            }
            for (ServerSocket squatter : squatters) {
                squatter.close();
            }
        }
        soft.assertAll();
    }

    private void tour(int n, String untilDown, String fromDown, MosquittoServer other, Map<String, String> documented,
            SoftAssertions soft) throws Exception {
        String what = "run " + n + ": ";
        long start = System.nanoTime();
        Bash first = bash(untilDown, OUT.resolve("run-" + n + "-until-down.log"));
        long upSeconds = (System.nanoTime() - start) / 1_000_000_000;
        soft.assertThat(first.exit()).as(what + "exit code of the tour until local-cluster/down (" + first.log() + "):\n"
                + first.output()).isZero();
        assertThat(RUN.resolve("endpoints")).as(what + "local-cluster/up wrote the endpoints; its output:\n"
                + first.output()).exists();
        Map<String, String> endpoints = StackPorts.readEndpoints(RUN.resolve("endpoints"));
        int mqtt = Integer.parseInt(endpoints.get("MQTT_PORT"));

        // up came up next to the other Mosquitto, and said where
        soft.assertThat(mqtt).as(what + "the stack's MQTT port (1883 is the other Mosquitto's)").isNotEqualTo(OTHER_MQTT);
        soft.assertThat(List.of(port("kafka://" + endpoints.get("KAFKA")), Integer.parseInt(endpoints.get("INFLUX_PORT"))))
                .as(what + "Kafka's and InfluxDB's ports (the defaults are taken)").doesNotContainAnyElementsOf(SQUATTED);
        soft.assertThat(first.output()).as(what + "up printed the endpoints").contains("tcp://127.0.0.1:" + mqtt,
                endpoints.get("INFLUX_URL"), endpoints.get("FLINK_URL"), endpoints.get("KAFKA"));

        // the window, as the README shows it
        Map<String, String> row = influxRow(first.output());
        soft.assertThat(row).as(what + "the influx query printed one row with the columns " + COLUMNS + ":\n"
                + first.output()).containsKeys(COLUMNS.toArray(String[]::new));
        if (row.keySet().containsAll(COLUMNS)) {
            expectNumber(soft, what, row, "temperature_count", 2, 0);
            expectNumber(soft, what, row, "temperature_min", 21.5, 0);
            expectNumber(soft, what, row, "temperature_max", 22.5, 0);
            expectNumber(soft, what, row, "temperature_mean", 22, 1e-12);
            expectNumber(soft, what, row, "temperature_stdev", Math.sqrt(0.5), 1e-12);
            expectNumber(soft, what, row, "temperature_p95", 22.5, 0.01); // a sketch: within 1 % of the exact value
            expectNumber(soft, what, row, "temperature_last", 22.5, 0);
            for (String column : COLUMNS) {
                if (documented.containsKey(column)) {
                    expectNumber(soft, what + "the README shows what the tour printed: ", documented, column,
                            Double.parseDouble(row.get(column)), column.equals("temperature_p95") ? 0.01 : 1e-12);
                }
            }
        }
        soft.assertThat(documented.keySet()).as("the README prints the query's output after the tour's block")
                .containsAll(COLUMNS);

        // the dead letter, then the rules
        List<String> lines = first.output().lines().toList();
        int consumed = -1;
        for (int i = 0; i < lines.size() && consumed < 0; i++) {
            if (lines.get(i).startsWith("{") && lines.get(i).contains("\"reason\"")) {
                consumed = i;
                JsonNode record = JSON.readTree(lines.get(i));
                soft.assertThat(record.path("value").path("reason").asText()).as(what + lines.get(i)).isEqualTo("MALFORMED");
                soft.assertThat(record.path("value").path("payload").asText()).as(what + lines.get(i)).isEqualTo("not json");
                soft.assertThat(record.path("value").path("topic").asText()).as(what + lines.get(i))
                        .isEqualTo("sensors/site-a/s-1");
            }
        }
        soft.assertThat(consumed).as(what + "consume printed the dead letter as JSON:\n" + first.output()).isNotNegative();
        String afterConsume = consumed < 0 ? "" : String.join("\n", lines.subList(consumed + 1, lines.size()));
        soft.assertThat(afterConsume).as(what + "rules list printed the shipped pipeline's rules").contains("too-hot",
                "heating-fast", "silent", "frozen", "unusual");

        // safe by default, while the stack is up
        Map<String, Long> pids = LocalStackCheckout.stackProcesses();
        soft.assertThat(pids).as(what + "the stack's processes (run/pids, run/stack.pid)").containsKeys("windrose-job",
                "mosquitto", "kafka", "influxd", "prometheus", "alertmanager", "stack");
        int flink = port(endpoints.get("FLINK_URL"));
        int metrics = Integer.parseInt(endpoints.get("METRICS_PORT"));
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            Map<Integer, Set<String>> listening = Ports.listening(process.getValue());
            soft.assertThat(listening.values()).as(what + process.getKey() + " listens on 127.0.0.1 only: " + listening)
                    .allMatch(addresses -> addresses.equals(Set.of("127.0.0.1")));
            if (process.getKey().equals("windrose-job")) {
                soft.assertThat(listening).as(what + "the job serves Flink's REST API and the Prometheus reporter")
                        .containsKeys(flink, metrics);
            }
        }
        JsonNode config = JSON.readTree(get("http://127.0.0.1:" + flink + "/config").body());
        soft.assertThat(config.path("features").path("web-submit").isBoolean()).as(what + "/config: " + config).isTrue();
        soft.assertThat(config.path("features").path("web-submit").asBoolean(true)).as(what + "/config: " + config).isFalse();
        HttpResponse<String> upload = upload("http://127.0.0.1:" + flink + "/jars/upload");
        soft.assertThat(upload.statusCode()).as(what + "POST /jars/upload: " + upload.body()).isBetween(400, 499);
        soft.assertThat(get("http://127.0.0.1:" + flink + "/jars").statusCode()).as(what + "GET /jars").isNotEqualTo(200);
        soft.assertThat(get("http://127.0.0.1:" + metrics + "/metrics").body()).as(what + "the reporter's metrics")
                .contains("flink_jobmanager_");
        // Alertmanager on ALERTMANAGER_URL, the health rules loaded by Prometheus, which sends to it
        String alertmanager = endpoints.get("ALERTMANAGER_URL");
        soft.assertThat(alertmanager).as(what + "ALERTMANAGER_URL in the endpoints").isNotNull();
        if (alertmanager != null) {
            soft.assertThat(get(alertmanager + "/-/ready").statusCode()).as(what + "Alertmanager ready").isEqualTo(200);
            soft.assertThat(get(endpoints.get("PROMETHEUS_URL") + "/api/v1/alertmanagers").body())
                    .as(what + "Prometheus sends to the stack's Alertmanager").contains(alertmanager.substring("http://".length()));
        }
        soft.assertThat(get(endpoints.get("PROMETHEUS_URL") + "/api/v1/rules").body())
                .as(what + "Prometheus loaded deploy/prometheus/*.yml").contains("WindroseJobDown", "WindroseNoReadings");
        if (n == 2) {
            soft.assertThat(Files.readString(RUN.resolve("job.log"))).as(what + "the job resumed the first run's state")
                    .contains("Resuming from savepoint");
        }

        start = System.nanoTime();
        Bash second = bash(fromDown, OUT.resolve("run-" + n + "-down.log"));
        long downSeconds = (System.nanoTime() - start) / 1_000_000_000;
        soft.assertThat(second.exit()).as(what + "exit code of local-cluster/down:\n" + second.output()).isZero();
        for (Map.Entry<String, Long> process : pids.entrySet()) {
            soft.assertThat(ProcessHandle.of(process.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as(what + process.getKey() + " (pid " + process.getValue() + ") still runs after down").isFalse();
        }
        soft.assertThat(RUN.resolve("endpoints")).as(what + "down removed the endpoints").doesNotExist();
        if (other != null) {
            soft.assertThat(other.process().isAlive()).as(what + "the other Mosquitto still runs after down").isTrue();
            try (TestMqtt client = new TestMqtt(OTHER_MQTT)) {
                client.publish("tour/still-there", "yes"); // QoS 1: returns when the broker acknowledged it
            }
        } else {
            soft.assertThat(Ports.isOpen(OTHER_MQTT)).as(what + "what held 1883 before still does").isTrue();
        }
        System.out.printf("tour run %d: until down %d s, down %d s (logs in %s)%n", n, upSeconds, downSeconds, OUT);
    }

    private static void expectNumber(SoftAssertions soft, String what, Map<String, String> row, String column,
            double expected, double relative) {
        double actual;
        try {
            actual = Double.parseDouble(row.get(column));
        } catch (NumberFormatException e) {
            soft.fail(what + column + " is not a number: " + row.get(column));
            return;
        }
        soft.assertThat(Math.abs(actual - expected)).as(what + column + " = " + actual + ", expected " + expected
                + (relative > 0 ? " within " + relative * 100 + " %" : "")).isLessThanOrEqualTo(Math.abs(expected) * relative);
    }

    /** The fenced bash block after the heading "## A 5-minute tour", its lines as they are. */
    static List<String> tourBlock(List<String> readme) {
        int heading = readme.indexOf(HEADING);
        assertThat(heading).as(README + " has the heading '" + HEADING + "'").isNotNegative();
        int open = heading + 1;
        while (open < readme.size() && !readme.get(open).startsWith("```")) {
            open++;
        }
        assertThat(open < readme.size() && readme.get(open).trim().equals("```bash"))
                .as("a ```bash block follows '" + HEADING + "' in " + README).isTrue();
        int close = open + 1;
        while (close < readme.size() && !readme.get(close).startsWith("```")) {
            close++;
        }
        return readme.subList(open + 1, close);
    }

    /** The row of the influx table that the README prints after the tour's block (column → value; empty if none). */
    static Map<String, String> documentedRow(List<String> readme) {
        int heading = readme.indexOf(HEADING);
        int next = heading;
        while (++next < readme.size() && !readme.get(next).startsWith("## ")) {
            // the section's end
        }
        return influxRow(String.join("\n", readme.subList(heading, next)));
    }

    /** The first row of the first table in influx's column output: the header line starts with "time". */
    static Map<String, String> influxRow(String output) {
        List<String> lines = output.lines().toList();
        for (int i = 0; i + 2 < lines.size(); i++) {
            if (lines.get(i).startsWith("time ") && lines.get(i + 1).startsWith("----")) {
                String[] names = lines.get(i).trim().split("\\s+");
                String[] values = lines.get(i + 2).trim().split("\\s+");
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < Math.min(names.length, values.length); c++) {
                    row.put(names[c], values[c]);
                }
                return row;
            }
        }
        return Map.of();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POST a small jar as Flink's web UI uploads one (multipart, field "jarfile"). */
    private HttpResponse<String> upload(String url) throws IOException, InterruptedException {
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(jar)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        String boundary = "windrose-tour-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"tour.jar\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(jar.toByteArray());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    private static Bash bash(String script, Path log) throws IOException, InterruptedException {
        return LocalStackCheckout.bash(script, log);
    }
}
