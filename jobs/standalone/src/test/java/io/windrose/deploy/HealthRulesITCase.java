package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.localcluster.PrometheusServer;
import io.windrose.standalone.JobProcess;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The health rules of {@code deploy/prometheus/} on the job's real metrics, end to end: {@code java -jar
 * windrose-job.jar} with Flink's Prometheus reporter, a real Prometheus scraping it every second and evaluating the
 * rule files, sending to the local stack's Alertmanager (real, {@link RealServices#alertmanager()}) and its webhook
 * receiver. Every metric name the rules use is one Prometheus scraped from the job; a malformed message fires
 * {@code WindroseDeadLettersRising} (reason MALFORMED); the job killed (SIGKILL) fires {@code WindroseJobDown}, and
 * both reach the receiver as firing notifications.
 *
 * <p>The rule files are loaded as they are but for their {@code for:} durations, shortened to 5 s so that the test
 * takes seconds, not minutes; what {@code for} does with them is proven by the promtool unit tests
 * ({@code HealthRulesTest}).
 */
class HealthRulesITCase {
    private static final Path RULES = Path.of("../../deploy/prometheus");
    private static final String JOB = "health-rules";
    /** The job's name as Flink's Prometheus reporter labels it: characters other than letters, digits, _ and : become _. */
    private static final String JOB_NAME = "health_rules";
    private static final String DB = "health";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();
    private final AlertmanagerServer alertmanager = RealServices.alertmanager();
    private final AlertReceiver receiver = RealServices.alertReceiver();

    @Test
    void theJobDownRuleFiresWhenTheJobIsKilled() throws Exception {
        Path dir = RealServices.newDirectory("health-rules");
        Path rules = Files.createDirectories(dir.resolve("rules"));
        int shortened = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(RULES, "*.yml")) {
            for (Path file : files) {
                String text = Files.readString(file);
                String fast = text.replaceAll("(?m)^(\\s+for:) \\S+$", "$1 5s");
                shortened += text.equals(fast) ? 0 : 1;
                Files.writeString(rules.resolve(file.getFileName()), fast);
            }
        }
        assertThat(shortened).as("rule files with a for: to shorten").isPositive();

        int webUi = Ports.free();
        int reporter = Ports.free();
        influx.createDatabase(DB);
        String pipeline = TestPipelines.services(JOB, mosquitto, influx, DB, null)
                .replace("  flink-config:\n", """
                          flink-config:
                            rest.bind-port: "%d"
                            metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
                            metrics.reporter.prom.port: "%d"
                        """.formatted(webUi, reporter)) + """
                routes:
                  - {name: sensors, topic-template: "sensors/{site}/{sensor}", format: json}
                rules:
                  - name: too-hot
                    field: temperature
                    above: 1000
                    actions:
                      - webhook: {url: "http://127.0.0.1:9/never-called"}
                """;
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), pipeline);
        long started = System.nanoTime();
        try (JobProcess job = JobProcess.start(dir, JOB, file).awaitSubscribed(1);
                PrometheusServer prometheus = new PrometheusServer(Ports.free(), List.of("127.0.0.1:" + reporter),
                        Duration.ofSeconds(1), dir.resolve("prometheus"))
                        .withAlerting("127.0.0.1:" + alertmanager.port(), List.of(rules.resolve("*.yml").toString()))
                        .start();
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 3; i++) {
                device.publish("sensors/site-a/s-1", "{\"ts\":" + (now + i * 1000) + ",\"temperature\":21.5}");
            }

            String decoded = "sum(flink_taskmanager_job_task_operator_windrose_readingsDecoded{job_name=\"" + JOB_NAME + "\"})";
            String answer = Await.until(() -> prometheus.get("/api/v1/query", "query", decoded),
                    a -> a.contains("\"3\"]"), Duration.ofSeconds(60));
            assertThat(answer).as("the readings decoded, scraped; targets: " + prometheus.get("/api/v1/targets")
                    + "\njob log:\n" + tail(dir.resolve(JOB + ".log"))).contains("\"3\"]");

            // every metric the rules use is one the job exports
            Set<String> scraped = new TreeSet<>();
            JSON.readTree(prometheus.get("/api/v1/label/__name__/values")).path("data").forEach(n -> scraped.add(n.asText()));
            Set<String> used = HealthRulesTest.metricNames();
            List<String> missing = new ArrayList<>();
            for (String name : used) {
                boolean prefix = name.endsWith("_"); // the dead letters' regex: ..._deadLetters_.+
                if (prefix ? scraped.stream().noneMatch(s -> s.startsWith(name)) : !scraped.contains(name)) {
                    missing.add(name);
                }
            }
            assertThat(missing).as("metrics the rules use that the job does not export (it exports "
                    + scraped.stream().filter(s -> s.startsWith("flink_")).toList() + ")").isEmpty();
            assertThat(used).contains("flink_taskmanager_job_task_operator_windrose_readingsDecoded",
                    "flink_jobmanager_job_numberOfFailedCheckpoints", "flink_taskmanager_job_task_operator_mqtt_stalled",
                    "flink_taskmanager_job_task_operator_influxdb_failedRequests");

            // a dead letter once Prometheus has seen the counter at 0 (an increase before the first scrape is invisible
            // to increase(): the series would start at 1)
            String malformed = "sum(flink_taskmanager_job_task_operator_windrose_deadLetters_MALFORMED{job_name=\""
                    + JOB_NAME + "\"})";
            assertThat(prometheus.get("/api/v1/query", "query", malformed)).contains("\"0\"]");
            device.publish("sensors/site-a/s-bad", "not json");
            List<AlertReceiver.Alert> deadLetters = Await.until(() -> received("WindroseDeadLettersRising", "firing"),
                    got -> !got.isEmpty(), Duration.ofSeconds(30));
            assertThat(deadLetters).as("the malformed message fired WindroseDeadLettersRising; receiver's log:\n"
                    + String.join("\n", receiver.lines())).hasSize(1);
            assertThat(deadLetters.get(0).labels()).containsEntry("reason", "MALFORMED").containsEntry("level", "warning");
            assertThat(received("WindroseJobDown", "firing")).as("the job runs").isEmpty();
            assertThat(prometheus.get("/api/v1/alerts")).doesNotContain("WindroseJobDown");

            long kill = System.nanoTime();
            job.kill();
            List<AlertReceiver.Alert> down = Await.until(() -> received("WindroseJobDown", "firing"),
                    got -> !got.isEmpty(), Duration.ofSeconds(60));
            long seconds = (System.nanoTime() - kill) / 1_000_000_000;
            assertThat(down).as("WindroseJobDown reached the receiver after the kill; Prometheus's alerts: "
                    + prometheus.get("/api/v1/alerts") + "\nreceiver's log:\n" + String.join("\n", receiver.lines()))
                    .hasSize(1);
            assertThat(down.get(0).labels()).containsEntry("level", "critical").containsEntry("job_name", JOB_NAME);
            assertThat(down.get(0).annotations().get("summary")).isEqualTo("Windrose job " + JOB_NAME + " is down");
            assertThat(receiver.lines()).anySatisfy(line -> assertThat(line)
                    .contains(" firing WindroseJobDown sensor=- level=critical {alertname=\"WindroseJobDown\", job_name=\""
                            + JOB_NAME + "\", level=\"critical\"} summary=\"Windrose job " + JOB_NAME + " is down\""));
            JsonNode alerts = JSON.readTree(prometheus.get("/api/v1/alerts")).path("data").path("alerts");
            assertThat(alerts.findValuesAsText("state")).contains("firing");
            System.out.printf("WindroseJobDown reached the receiver %d s after the kill (test: %d s)%n", seconds,
                    (System.nanoTime() - started) / 1_000_000_000);
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private List<AlertReceiver.Alert> received(String alertname, String status) {
        return receiver.alerts().stream().filter(a -> a.alertname().equals(alertname) && a.status().equals(status)
                && JOB_NAME.equals(a.labels().get("job_name"))).toList();
    }
}
