package io.windrose.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.DeadLetter;
import io.windrose.testing.AlertmanagerAlerts;
import io.windrose.testing.Await;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import io.windrose.testing.TestSubscriber;


import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The alertmanager action against a real Alertmanager (the local stack's configuration) and its webhook receiver: the
 * writer's posts are listed active with their labels within seconds and resolved by CLEARED; an Alertmanager that is
 * not there is retried, counted and ends as a dead letter without ever holding up write(); and the job, through real
 * Mosquitto, raises, keeps raised across a failure and restore from a checkpoint, and resolves: the receiver gets
 * exactly one firing and one resolved notification.
 */
class AlertmanagerActionITCase {

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final AlertmanagerServer alertmanager = RealServices.alertmanager();
    private final AlertReceiver receiver = RealServices.alertReceiver();

    @Test
    void theWriterRaisesAnAlertWithItsLabelsWithinSecondsAndClearedResolvesIt() throws Exception {
        String rule = "am-writer-" + System.nanoTime();
        ActionsConfig.Alertmanager settings = new ActionsConfig.Alertmanager();
        settings.url.add(alertmanager.url());
        Metrics metrics = new Metrics();
        AlertmanagerWriter writer = new AlertmanagerWriter(settings, null, metrics);
        try {
            long t0 = Instant.now().minusSeconds(5).toEpochMilli();
            long start = System.nanoTime();
            writer.write(alert(rule, AlertState.RAISED, t0, settings), null);
            JsonNode listed = Await.until(() -> AlertmanagerAlerts.listed(alertmanager, rule), a -> a != null, Duration.ofSeconds(5));
            assertThat(listed).as("listed within 5 s: " + alertmanager.alerts()).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(listed.path("status").path("state").asText()).isEqualTo("active");
            assertThat(listed.path("labels").path("alertname").asText()).isEqualTo(rule);
            assertThat(listed.path("labels").path("sensor").asText()).isEqualTo("s-1");
            assertThat(listed.path("labels").path("level").asText()).isEqualTo("warning");
            assertThat(listed.path("labels").path("team").asText()).isEqualTo("facilities");
            assertThat(listed.path("labels").path("site").asText()).isEqualTo("site-a");
            assertThat(Instant.parse(listed.path("startsAt").asText()).toEpochMilli()).isEqualTo(t0);
            // a resend changes nothing in Alertmanager
            writer.write(alert(rule, AlertState.RAISED, t0, settings), null);

            writer.write(alert(rule, AlertState.CLEARED, t0 + 2_000, settings), null);
            assertThat(Await.until(() -> AlertmanagerAlerts.listed(alertmanager, rule), a -> a == null, Duration.ofSeconds(10))).as("resolved").isNull();
            List<String> got = Await.until(() -> AlertmanagerAlerts.statuses(receiver, rule), s -> s.size() >= 2, Duration.ofSeconds(15));
            Thread.sleep(2_000);
            assertThat(AlertmanagerAlerts.statuses(receiver, rule)).as("receiver log:\n" + String.join("\n", receiver.lines()))
                    .containsExactly("firing", "resolved");
            assertThat(got).hasSize(2);
            assertThat(metrics.count("sent")).isGreaterThanOrEqualTo(2);
            assertThat(metrics.count("failed")).isZero();
        } finally {
            writer.close();
        }
    }

    @Test
    void anAlertmanagerThatIsNotThereIsRetriedCountedAndEndsAsADeadLetterAndWriteNeverWaits() throws Exception {
        ActionsConfig.Alertmanager settings = new ActionsConfig.Alertmanager();
        settings.url.add("http://127.0.0.1:" + Ports.free()); // nothing listens there
        settings.retryTimeout = Duration.ofSeconds(2);
        Metrics metrics = new Metrics();
        AlertmanagerWriter writer = new AlertmanagerWriter(settings, null, metrics);
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 1_000; i++) {
                writer.write(alert("am-dead", AlertState.RAISED, System.currentTimeMillis(), settings), null);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("write() never waits for Alertmanager")
                    .isLessThan(Duration.ofSeconds(1));
            Await.until(() -> metrics.count("deadLetters"), n -> n >= 1, Duration.ofSeconds(20));
            assertThat(metrics.count("deadLetters")).as("one alert (a label set), posted 1000 times").isEqualTo(1);
            assertThat(metrics.count("failed")).as("retried").isGreaterThan(1);
            assertThat(metrics.count("sent")).isZero();
        } finally {
            writer.close();
        }
    }

    @Test
    void aReadingAboveRaisesTheAlertWhichStaysActiveAcrossARestoreAndResolvesOnce() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        String name = "amjob";
        RealServices.influx().createDatabase(name);
        PipelineConfig config = TestPipelines.load(name, TestPipelines.services(name, mosquitto, RealServices.influx(),
                name, null) + """
                routes:
                  - name: sensors
                    topic-template: amjob/{site}/{sensor}
                rules:
                  - name: amjob-hot
                    field: temperature
                    above: 30
                    actions:
                      - alertmanager:
                          labels: {team: facilities}
                          annotations: {summary: '{sensor}: {field} {value} above {threshold}'}
                actions:
                  alertmanager:
                    url: %s
                    resend-interval: 1s
                    grafana-url: http://127.0.0.1:3000
                """.formatted(alertmanager.url()));
        FailOnceAfterCheckpoint.reset(1, 30);
        jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        long now = System.currentTimeMillis();
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            long sent = System.nanoTime();
            devices.publish("amjob/site-a/hot-1", reading("hot-1", now, 40));
            JsonNode listed = Await.until(() -> AlertmanagerAlerts.listed(alertmanager, "amjob-hot"), a -> a != null, Duration.ofSeconds(10));
            assertThat(listed).as("active: " + alertmanager.alerts()).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("within 5 s").isLessThan(Duration.ofSeconds(5));
            assertThat(listed.path("labels").path("alertname").asText()).isEqualTo("amjob-hot");
            assertThat(listed.path("labels").path("sensor").asText()).isEqualTo("hot-1");
            assertThat(listed.path("labels").path("level").asText()).isEqualTo("warning");
            assertThat(listed.path("labels").path("team").asText()).isEqualTo("facilities");
            assertThat(listed.path("labels").path("site").asText()).isEqualTo("site-a");
            assertThat(listed.path("annotations").path("summary").asText()).isEqualTo("hot-1: temperature 40 above 30");
            assertThat(listed.path("generatorURL").asText()).contains("/d/windrose-sensors/").contains("var-sensor=hot-1");
            // a failure after a checkpoint while it fires: restored from the checkpoint
            for (int i = 1; i <= 60; i++) {
                devices.publish("amjob/site-a/other", reading("other", now + i * 100, 20));
                Thread.sleep(50);
            }
            Await.until(FailOnceAfterCheckpoint.FAILED::get, failed -> failed, Duration.ofSeconds(30));
            Thread.sleep(3_000); // restored, resent (resend-interval 1 s)
            assertThat(AlertmanagerAlerts.listed(alertmanager, "amjob-hot")).as("still active after the restore").isNotNull();
            devices.publish("amjob/site-a/hot-1", reading("hot-1", now + 10_000, 20));
        }
        assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
        assertThat(Await.until(() -> AlertmanagerAlerts.listed(alertmanager, "amjob-hot"), a -> a == null, Duration.ofSeconds(10))).as("resolved").isNull();
        Await.until(() -> AlertmanagerAlerts.statuses(receiver, "amjob-hot"), s -> s.size() >= 2, Duration.ofSeconds(15));
        Thread.sleep(3_000); // resends stopped: nothing more
        assertThat(AlertmanagerAlerts.statuses(receiver, "amjob-hot")).as("receiver log:\n" + String.join("\n", receiver.lines()))
                .containsExactly("firing", "resolved");
        assertThat(AlertmanagerAlerts.listed(alertmanager, "amjob-hot")).isNull();
        assertThat(InMemoryMetrics.count("sent", "alertmanager")).as("resends").isGreaterThan(2);
    }

    @Test
    void anAbsentAlertmanagerNeverHoldsUpTheJobAndItsAlertsBecomeActionFailedDeadLetters() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        String dead = "http://127.0.0.1:" + Ports.free(); // nothing listens there
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), "amdead/+/fan/set")) {
            jobs.startWithServices("amdead", true, """
                    routes:
                      - name: sensors
                        topic-template: amdead/{site}/{sensor}
                    rules:
                      - name: amdead-hot
                        field: temperature
                        above: 30
                        actions:
                          - alertmanager: {}
                          - mqtt: {topic: 'amdead/{sensor}/fan/set', raised: 'ON', cleared: 'OFF'}
                    actions:
                      alertmanager: {url: '%s', retry-timeout: 2s}
                      mqtt: {min-interval: 0s}
                    """.formatted(dead));
            long now = System.currentTimeMillis();
            long start = System.nanoTime();
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                for (int i = 0; i < 3; i++) {
                    device.publish("amdead/site-a/d-1", reading("d-1", now += 500, 35));
                    device.publish("amdead/site-a/d-1", reading("d-1", now += 500, 20));
                }
            }
            assertThat(fan.await(6, Duration.ofSeconds(30))).as("the device's commands, while Alertmanager is absent")
                    .hasSize(6);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not held up by the retries")
                    .isLessThan(Duration.ofSeconds(10));
            List<TestKafka.Keyed<DeadLetter>> letters = TestKafka.read(RealServices.kafka().bootstrapServers(),
                    "amdead.deadletters", DeadLetter.class, 1, Duration.ofSeconds(60));
            assertThat(letters).isNotEmpty();
            assertThat(letters.get(0).value().getReason()).isEqualTo("ACTION_FAILED");
            assertThat(letters.get(0).value().getDetail()).contains("Alertmanager " + dead).contains("rule amdead-hot")
                    .contains("actions.alertmanager.retry-timeout");
            assertThat(InMemoryMetrics.count("failed", "alertmanager")).as("retried").isGreaterThan(1);
            assertThat(InMemoryMetrics.count("deadLetters", "alertmanager")).isGreaterThanOrEqualTo(1);
        }
    }

    /** An alert of rule {@code rule} for s-1 as the notifier posts it. */
    private static AlertmanagerAlert alert(String rule, AlertState state, long time, ActionsConfig.Alertmanager settings) {
        AlertEvent event = AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("sensors")
                .setTags(Map.of("site", "site-a")).setRule(rule).setLevel("warning").setState(state)
                .setField("temperature").setValue(35).setThreshold(30).setEventTime(Instant.ofEpochMilli(time))
                .setMessage(rule + " " + state).build();
        ActionConfig action = new ActionConfig();
        action.alertmanager = new ActionConfig.Alertmanager();
        action.alertmanager.labels.put("team", "facilities");
        AlertmanagerAlert alert = ActionCalls.alertmanager(List.of(action), event, key -> null).get(0);
        alert.setStartsAt(state == AlertState.RAISED ? time : time - 2_000);
        return AlertmanagerNotifier.finish(alert, settings);
    }


    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }

    /** The writer's counters, readable. */
    private static final class Metrics extends UnregisteredMetricsGroup {
        private final Map<String, SimpleCounter> counters = new HashMap<>();

        @Override
        public synchronized Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> new SimpleCounter());
        }

        @Override
        public MetricGroup addGroup(String name) {
            return this;
        }

        synchronized long count(String name) {
            SimpleCounter counter = counters.get(name);
            return counter == null ? 0 : counter.getCount();
        }
    }
}
