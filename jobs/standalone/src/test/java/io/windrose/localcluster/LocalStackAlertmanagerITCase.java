package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.testing.Await;
import io.windrose.testing.TestMqtt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.windrose.localcluster.LocalStackCheckout.Bash;
import org.junit.jupiter.api.Test;

/**
 * Alerts that reach people, through the local stack as a user runs it: {@code local-cluster/up} (simulator on)
 * with its shipped {@code local-cluster/pipeline.yaml}, whose rule {@code too-hot} has an {@code alertmanager} action
 * with the label {@code team: facilities}. A reading of 35 °C from a sensor of the test's own, {@code x-1} (the
 * simulator never publishes it: its own too-hot alerts are left aside), is active in the stack's Alertmanager
 * ({@code /api/v2/alerts}, on 127.0.0.1:9095 when that port was free) within 5 s with the labels alertname=too-hot,
 * sensor=x-1, level=critical, team=facilities and its topic's site; the job is then killed with {@code kill -9} while
 * the alert fires (after a checkpoint that holds it), {@code local-cluster/up} says that the job is not running, and
 * the user's restart — {@code local-cluster/down}, then {@code local-cluster/up} — resumes the job from its checkpoint:
 * the alert is active again in the restarted Alertmanager (which kept nothing in memory) with its first startsAt; a
 * reading of 20 °C resolves it; and the receiver's log {@code local-cluster/run/alertmanager/notifications.log} has
 * exactly one firing and one resolved notification for x-1. On the way, the simulator's Sparkplug B edge node shows
 * in InfluxDB through the shipped route {@code plant}: press-1's aggregates with the tags group, edge_node, device.
 *
 * <p>Like {@link LocalStackTourITCase} it uses the checkout's {@code local-cluster/run}: it refuses to run while a
 * stack is up there, and moves what is there aside and back afterwards (the test's own is kept in
 * {@code target/stack-alertmanager/run}, with each phase's output and logs).
 */
class LocalStackAlertmanagerITCase {
    private static final Path RUN = LocalStackCheckout.RUN;
    private static final Path OUT = Path.of("target/stack-alertmanager").toAbsolutePath();
    private static final int ALERTMANAGER_DEFAULT = 9095;
    private static final String RULE = "too-hot";
    private static final String SENSOR = "x-1";
    private static final String TOPIC = "sensors/site-x/" + SENSOR;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTooHotAlertIsInAlertmanagerSurvivesAKillMinus9OfTheJobAndResolvesOnce() throws Exception {
        Path saved = LocalStackCheckout.moveAside(OUT, "this test");
        long started = System.nanoTime();
        try {
            scenario(Ports.canBind(ALERTMANAGER_DEFAULT));
        } finally {
            LocalStackCheckout.restore(OUT, saved);
            System.out.printf("local stack with Alertmanager: %d s (logs in %s)%n",
                    (System.nanoTime() - started) / 1_000_000_000, OUT);
        }
    }

    private void scenario(boolean defaultPortFree) throws Exception {
        up("up-1");
        Map<String, String> endpoints = StackPorts.readEndpoints(RUN.resolve("endpoints"));
        String alertmanager = endpoints.get("ALERTMANAGER_URL");
        if (defaultPortFree) {
            assertThat(alertmanager).as("Alertmanager on its default port").isEqualTo("http://127.0.0.1:" + ALERTMANAGER_DEFAULT);
        }
        int mqtt = Integer.parseInt(endpoints.get("MQTT_PORT"));
        String flink = endpoints.get("FLINK_URL");

        // too hot: in Alertmanager within 5 s, with the rule's labels
        long hot;
        long sent;
        try (TestMqtt device = new TestMqtt(mqtt)) { // connected first: the 5 s are the stack's, from the publish on
            hot = System.currentTimeMillis();
            sent = System.nanoTime();
            device.publish(TOPIC, reading(hot, 35));
        }
        List<JsonNode> listed = Await.until(() -> listed(alertmanager), a -> !a.isEmpty(), Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        long listedAt = System.currentTimeMillis();
        assertThat(listed).as("x-1's too-hot alert in " + alertmanager + "/api/v2/alerts").hasSize(1);
        System.out.printf("publish → listed in Alertmanager: %d ms%n", took.toMillis());
        assertThat(took).as("publish → listed in Alertmanager").isLessThan(Duration.ofSeconds(5));
        JsonNode alert = listed.get(0);
        assertThat(labels(alert)).as("labels of " + alert).containsEntry("alertname", RULE).containsEntry("sensor", SENSOR)
                .containsEntry("level", "critical").containsEntry("team", "facilities").containsEntry("site", "site-x");
        assertThat(Instant.parse(alert.path("startsAt").asText()).toEpochMilli()).as("startsAt: the reading's time")
                .isEqualTo(hot);

        // kill -9 of the job while it fires, once a checkpoint holds the raised alert
        awaitCheckpointAfter(flink, listedAt);
        long job = LocalStackCheckout.stackProcesses().get("windrose-job");
        Bash kill = bash("kill -9 " + job, "kill");
        assertThat(kill.exit()).as(kill.output()).isZero();
        Await.until(() -> ProcessHandle.of(job).map(ProcessHandle::isAlive).orElse(false), alive -> !alive,
                Duration.ofSeconds(10));
        assertThat(ProcessHandle.of(job).map(ProcessHandle::isAlive).orElse(false)).as("job " + job + " killed").isFalse();
        assertThat(listed(alertmanager)).as("still active while the job is down").hasSize(1);
        String stackLog = Await.until(() -> read(RUN.resolve("stack.log")), l -> l.contains("exited with"),
                Duration.ofSeconds(5));
        assertThat(stackLog).as("stack.log says the job died").contains("the Windrose job (pid " + job + ") exited with");
        Bash again = bash("local-cluster/up", "up-while-the-job-is-dead");
        assertThat(again.exit()).as("up while the job is dead:\n" + again.output()).isEqualTo(1);
        assertThat(again.output()).as("up says what to do").contains("its job (pid " + job + ") is not",
                "local-cluster/down, then local-cluster/up");

        // the user's restart: down, up; the job resumes from its checkpoint and posts the alert again
        Bash down = bash("local-cluster/down", "down-1");
        assertThat(down.exit()).as("down after the kill:\n" + down.output()).isZero();
        assertThat(down.output()).contains("the Windrose job was not running");
        copyLogs("1");
        up("up-2");
        assertThat(read(RUN.resolve("job.log"))).as("the job resumed its checkpoint").contains("Resuming from checkpoint");
        List<JsonNode> again2 = Await.until(() -> listed(alertmanager), a -> !a.isEmpty(), Duration.ofSeconds(10));
        assertThat(again2).as("active again in the restarted Alertmanager (it keeps no alerts across down/up)").hasSize(1);
        assertThat(labels(again2.get(0))).as("the same alert").isEqualTo(labels(alert));
        assertThat(again2.get(0).path("startsAt").asText()).as("the same startsAt").isEqualTo(alert.path("startsAt").asText());

        // a reading below the reset resolves it, and the receiver got one firing and one resolved notification
        publish(mqtt, System.currentTimeMillis(), 20);
        assertThat(Await.until(() -> listed(alertmanager), List::isEmpty, Duration.ofSeconds(10)))
                .as("resolved: no longer active").isEmpty();
        Path log = RUN.resolve("alertmanager/notifications.log");
        Await.until(() -> notified(log), n -> n.size() >= 2, Duration.ofSeconds(15));
        Thread.sleep(5_000); // nothing more comes
        assertThat(notified(log)).as("x-1's notifications in " + log + ":\n" + read(log)).containsExactly("firing critical",
                "resolved critical");

        // the simulator's Sparkplug B edge node, read by the shipped route plant: aggregates of the data it sent by alias,
        // under the metrics' names, with the tags group, edge_node and device
        String query = endpoints.get("INFLUX_URL") + "/query?db=telemetry&q=" + java.net.URLEncoder.encode(
                "SELECT \"Pressure_mean\" FROM plant WHERE sensor = 'edge-1/press-1' GROUP BY \"group\", edge_node, device",
                java.nio.charset.StandardCharsets.UTF_8);
        JsonNode plant = Await.until(() -> json(query), answer -> answer.path("results").path(0).has("series"),
                Duration.ofSeconds(60));
        assertThat(plant.path("results").path(0).path("series").path(0).path("tags").toString())
                .as("the plant's aggregates in InfluxDB: " + plant).contains("\"group\":\"plant-1\"")
                .contains("\"edge_node\":\"edge-1\"").contains("\"device\":\"press-1\"");

        Bash last = bash("local-cluster/down", "down-2");
        assertThat(last.exit()).as("down:\n" + last.output()).isZero();
        copyLogs("2");
    }

    private void up(String name) throws Exception {
        long start = System.nanoTime();
        Bash up = bash("local-cluster/up", name);
        System.out.printf("%s: %d s%n", name, (System.nanoTime() - start) / 1_000_000_000);
        assertThat(up.exit()).as(name + ":\n" + up.output()).isZero();
        assertThat(RUN.resolve("endpoints")).as("up wrote the endpoints:\n" + up.output()).exists();
    }

    private static void publish(int port, long time, double temperature) {
        try (TestMqtt device = new TestMqtt(port)) {
            device.publish(TOPIC, reading(time, temperature));
        }
    }

    private static String reading(long time, double temperature) {
        return "{\"sensor\":\"" + SENSOR + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }

    /** x-1's too-hot alerts as GET /api/v2/alerts lists them (active, not resolved). */
    private List<JsonNode> listed(String alertmanager) {
        List<JsonNode> alerts = new ArrayList<>();
        for (JsonNode alert : json(alertmanager + "/api/v2/alerts")) {
            if (alert.path("labels").path("alertname").asText().equals(RULE)
                    && alert.path("labels").path("sensor").asText().equals(SENSOR)) {
                alerts.add(alert);
            }
        }
        return alerts;
    }

    private static Map<String, String> labels(JsonNode alert) {
        Map<String, String> labels = new LinkedHashMap<>();
        alert.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return labels;
    }

    /**
     * x-1's too-hot lines of the receiver's log ({@link AlertReceiver.Alert#line()}: time, status, alertname,
     * sensor=, level=, ...), as "status level".
     */
    private static List<String> notified(Path log) {
        List<String> found = new ArrayList<>();
        for (String line : read(log).lines().toList()) {
            String[] parts = line.split(" ", 6);
            if (parts.length >= 5 && parts[2].equals(RULE) && parts[3].equals("sensor=" + SENSOR)) {
                found.add(parts[1] + " " + parts[4].substring("level=".length()));
            }
        }
        return found;
    }

    /** Waits until the running job has completed a checkpoint triggered after {@code after} (epoch ms). */
    private void awaitCheckpointAfter(String flink, long after) {
        String jobs = flink + "/jobs/overview";
        long trigger = Await.until(() -> {
            for (JsonNode job : json(jobs).path("jobs")) {
                if (job.path("state").asText().equals("RUNNING")) {
                    return json(flink + "/jobs/" + job.path("jid").asText() + "/checkpoints").path("latest")
                            .path("completed").path("trigger_timestamp").asLong(0);
                }
            }
            return 0L;
        }, t -> t > after, Duration.ofSeconds(30));
        assertThat(trigger).as("a checkpoint completed after the alert was listed (" + jobs + ")").isGreaterThan(after);
    }

    private JsonNode json(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Bash bash(String script, String name) throws IOException, InterruptedException {
        return LocalStackCheckout.bash(script, OUT.resolve(name + ".log"));
    }

    private static void copyLogs(String phase) throws IOException {
        LocalStackCheckout.copyLogs(OUT, phase);
    }
}
