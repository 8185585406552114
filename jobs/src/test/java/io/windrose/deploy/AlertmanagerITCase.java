package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import io.windrose.testing.AlertmanagerAlerts;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The local stack's Alertmanager, real ({@code prometheus-alertmanager} with the stack's configuration), and its webhook
 * receiver: an alert POSTed to {@code /api/v2/alerts} as Prometheus posts one is listed active and reaches the receiver
 * as one firing notification; the same alert POSTed again with {@code endsAt} is resolved: one resolved notification,
 * and nothing more after that. The test-alert commands of docs/dashboards.md run verbatim against it, in a directory
 * laid out as the repository root with a running stack ({@code local-cluster/run/endpoints} and the receiver's log).
 */
class AlertmanagerITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Alertmanager's group_wait and group_interval are 1 s: a notification comes within seconds. */
    private static final Duration NOTIFIED = Duration.ofSeconds(15);

    private final AlertmanagerServer alertmanager = RealServices.alertmanager();
    private final AlertReceiver receiver = RealServices.alertReceiver();

    @Test
    void anAlertFiresOnceAndResolvesOnce() throws Exception {
        String name = "WindroseApiAlert" + System.nanoTime(); // the tests of this JVM share Alertmanager
        Map<String, String> labels = Map.of("alertname", name, "sensor", "s-1", "level", "critical", "site", "site-a");
        Instant startsAt = Instant.now().minusSeconds(10).truncatedTo(ChronoUnit.MILLIS); // what Alertmanager keeps
        alertmanager.postAlerts(alerts(labels, startsAt, null));

        JsonNode listed = Await.until(() -> AlertmanagerAlerts.listed(alertmanager, name), alert -> alert != null, NOTIFIED);
        assertThat(listed).as("GET /api/v2/alerts lists " + name + ": " + alertmanager.alerts()).isNotNull();
        assertThat(listed.path("status").path("state").asText()).isEqualTo("active");
        assertThat(listed.path("labels").path("sensor").asText()).isEqualTo("s-1");
        assertThat(listed.path("annotations").path("summary").asText()).isEqualTo("s-1 is too hot");
        assertThat(Instant.parse(listed.path("startsAt").asText())).isEqualTo(startsAt);

        List<AlertReceiver.Alert> firing = Await.until(() -> received(name), got -> !got.isEmpty(), NOTIFIED);
        assertThat(firing).as("the receiver got the alert; log:\n" + String.join("\n", receiver.lines())).hasSize(1);
        AlertReceiver.Alert alert = firing.get(0);
        assertThat(alert.status()).isEqualTo("firing");
        assertThat(alert.labels()).isEqualTo(labels);
        assertThat(alert.annotations()).containsEntry("summary", "s-1 is too hot");
        assertThat(Instant.parse(alert.startsAt())).isEqualTo(startsAt);
        assertThat(receiver.lines()).as("the receiver's log").anySatisfy(line -> assertThat(line).contains(
                " firing " + name + " sensor=s-1 level=critical {alertname=\"" + name + "\", level=\"critical\", "
                        + "sensor=\"s-1\", site=\"site-a\"} summary=\"s-1 is too hot\""));
        // a second POST of the same alert (as Prometheus repeats it every evaluation) sends nothing new
        alertmanager.postAlerts(alerts(labels, startsAt, null));
        Thread.sleep(3_000); // three group intervals
        assertThat(received(name)).as("one firing notification, not repeated").hasSize(1);

        Instant endsAt = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        alertmanager.postAlerts(alerts(labels, startsAt, endsAt));
        List<AlertReceiver.Alert> both = Await.until(() -> received(name), got -> got.size() >= 2, NOTIFIED);
        assertThat(both).extracting(AlertReceiver.Alert::status).containsExactly("firing", "resolved");
        AlertReceiver.Alert resolved = both.get(1);
        assertThat(resolved.notification()).as("a notification of its own").isGreaterThan(alert.notification());
        assertThat(resolved.labels()).isEqualTo(labels);
        assertThat(Instant.parse(resolved.endsAt())).isEqualTo(endsAt);
        assertThat(receiver.lines()).anySatisfy(line -> assertThat(line).contains(
                " resolved " + name + " sensor=s-1 level=critical {"));
        assertThat(Await.until(() -> AlertmanagerAlerts.listed(alertmanager, name), a -> a == null, NOTIFIED)).as("no longer listed as active").isNull();
        Thread.sleep(3_000);
        assertThat(received(name)).as("one firing and one resolved notification, nothing more")
                .extracting(AlertReceiver.Alert::status).containsExactly("firing", "resolved");
        assertThat(receiver.alerts()).filteredOn(a -> a.alertname().equals(name))
                .extracting(AlertReceiver.Alert::notification).doesNotHaveDuplicates();
    }

    @Test
    void theDocsTestAlertCommandsRunAsWritten() throws Exception {
        Path docs = HealthRulesTest.ROOT.resolve("docs/dashboards.md");
        List<String> blocks = bashBlocks(Files.readAllLines(docs)).stream()
                .filter(block -> block.contains("amtool --alertmanager.url")).toList();
        assertThat(blocks).as("the test-alert block of " + docs).hasSize(1);
        Path root = RealServices.newDirectory("docs-root");
        Path run = Files.createDirectories(root.resolve("local-cluster/run/alertmanager"));
        Files.writeString(root.resolve("local-cluster/run/endpoints"), "ALERTMANAGER_URL=" + alertmanager.url() + "\n");
        Files.createSymbolicLink(run.resolve("notifications.log"), receiver.log());
        Files.writeString(receiver.log(), "", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);

        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", blocks.get(0)).directory(root.toFile())
                .redirectErrorStream(true).start();
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output).as("amtool alert query, then the receiver's log as tail printed it")
                .contains("WindroseTestAlert", "a test alert")
                .contains(" firing WindroseTestAlert sensor=s-1 level=warning {alertname=\"WindroseTestAlert\", level=\"warning\", "
                        + "sensor=\"s-1\"} summary=\"a test alert\"")
                .contains(" resolved WindroseTestAlert sensor=s-1 level=warning {alertname=\"WindroseTestAlert\"");
        assertThat(received("WindroseTestAlert")).extracting(AlertReceiver.Alert::status).containsExactly("firing", "resolved");
    }

    private static List<String> bashBlocks(List<String> lines) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null && line.strip().equals("```bash")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** The body Prometheus POSTs: an array of alerts with labels, annotations, startsAt and (resolved) endsAt. */
    private static String alerts(Map<String, String> labels, Instant startsAt, Instant endsAt) throws Exception {
        ArrayNode array = JSON.createArrayNode();
        ObjectNode alert = array.addObject();
        ObjectNode l = alert.putObject("labels");
        labels.forEach(l::put);
        alert.putObject("annotations").put("summary", labels.get("sensor") + " is too hot");
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", "http://127.0.0.1/windrose-test");
        return JSON.writeValueAsString(array);
    }

    /** The alert named so in GET /api/v2/alerts (active ones, the API's default), or null. */

    private List<AlertReceiver.Alert> received(String name) {
        return new ArrayList<>(receiver.alerts().stream().filter(a -> a.alertname().equals(name)).toList());
    }
}
