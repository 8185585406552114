package io.windrose.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.AlertmanagerAlerts;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alertmanager action across a {@code kill -9} of the standalone job ({@code java -jar windrose-job.jar}) against
 * real Mosquitto and Alertmanager with its webhook receiver: a reading above the rule is active in Alertmanager within
 * 5 s with the labels alertname, sensor, level and the rule's; the job is killed while it fires, Alertmanager
 * restarted (it forgets its alerts) and the job started again from its checkpoint; the alert is active again at once,
 * resolves when a reading below clears it, and the receiver got exactly one firing and one resolved notification.
 */
class AlertmanagerRestartITCase {

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();
    private final AlertmanagerServer alertmanager = RealServices.alertmanager();
    private final AlertReceiver receiver = RealServices.alertReceiver();

    @Test
    void anAlertFiringAtAKillMinus9StaysActiveAfterTheRestartAndResolvesOnce() throws Exception {
        String name = "am-kill";
        String rule = "am-kill-hot";
        Path dir = RealServices.newDirectory(name);
        influx.createDatabase("am_kill");
        String services = TestPipelines.services(name, mosquitto, influx, "am_kill", null)
                .replace("job:\n", "job:\n  state-dir: state\n");
        Path pipeline = Files.writeString(dir.resolve("pipeline.yaml"), services + """
                routes:
                  - name: readings
                    topic-template: am-kill/{site}/{sensor}
                rules:
                  - name: %s
                    field: temperature
                    above: 30
                    actions: [{alertmanager: {labels: {team: facilities}}}]
                actions:
                  alertmanager: {url: %s}             # resend-interval 1m: not due during the test
                """.formatted(rule, alertmanager.url()));
        long now = System.currentTimeMillis();
        try (JobProcess first = JobProcess.start(dir, "first", pipeline).awaitSubscribed(1)) {
            long sent = System.nanoTime();
            publish("hot-1", now, 40);
            JsonNode listed = Await.until(() -> AlertmanagerAlerts.listed(alertmanager, rule), a -> a != null, Duration.ofSeconds(10));
            assertThat(listed).as("active: " + alertmanager.alerts()).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("within 5 s").isLessThan(Duration.ofSeconds(5));
            assertThat(listed.path("labels").path("alertname").asText()).isEqualTo(rule);
            assertThat(listed.path("labels").path("sensor").asText()).isEqualTo("hot-1");
            assertThat(listed.path("labels").path("level").asText()).isEqualTo("warning");
            assertThat(listed.path("labels").path("team").asText()).isEqualTo("facilities");
            // a checkpoint that holds the raised alert, then the kill
            StateDirectory state = new StateDirectory(dir.resolve("state").toString());
            Await.until(state::latest, Optional::isPresent, Duration.ofSeconds(30));
            Thread.sleep(1_000);
            first.kill();
        }
        // Alertmanager keeps alerts in memory only: restarted with the job (as local-cluster/down and up do), it has
        // forgotten the alert, and only the job's post after its restore makes it active again
        alertmanager.close();
        alertmanager.start();
        assertThat(AlertmanagerAlerts.listed(alertmanager, rule)).as("forgotten by the restarted Alertmanager").isNull();
        try (JobProcess second = JobProcess.start(dir, "second", pipeline).awaitSubscribed(1)) {
            assertThat(second.logged("Resuming from checkpoint")).isTrue();
            assertThat(Await.until(() -> AlertmanagerAlerts.listed(alertmanager, rule), a -> a != null, Duration.ofSeconds(10)))
                    .as("active again after the restart, long before a resend is due").isNotNull();
            assertThat(Instant.parse(AlertmanagerAlerts.listed(alertmanager, rule).path("startsAt").asText()).toEpochMilli()).as("the same startsAt")
                    .isEqualTo(now);
            publish("hot-1", now + 10_000, 20);
            assertThat(Await.until(() -> AlertmanagerAlerts.listed(alertmanager, rule), a -> a == null, Duration.ofSeconds(10))).as("resolved").isNull();
            Await.until(() -> AlertmanagerAlerts.statuses(receiver, rule), s -> s.size() >= 2, Duration.ofSeconds(15));
            Thread.sleep(5_000); // nothing more
            assertThat(AlertmanagerAlerts.statuses(receiver, rule)).as("receiver log:\n" + String.join("\n", receiver.lines()))
                    .containsExactly("firing", "resolved");
        }
    }

    private void publish(String sensor, long time, double temperature) {
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            device.publish("am-kill/site-a/" + sensor, "{\"sensor\":\"" + sensor + "\",\"ts\":" + time
                    + ",\"temperature\":" + temperature + "}");
        }
    }


}
