package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.AlertEvent;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestSubscriber;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code windrose alerts ack | shelve | list} beside a job, through real Mosquitto, Kafka and InfluxDB: the commands
 * travel on the job's commands topic and are answered on its status topic; an acknowledged alert's later raises send no MQTT command while its records carry
 * {@code acked}; a shelf silences a sensor's commands and ends by itself.
 */
class AlertCommandsITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    private static final String RULES = """
            routes:
              - name: sensors
                topic-template: %s/{site}/{sensor}
            rules:
              - name: too-hot
                field: temperature
                above: {warning: 28, critical: 31}
                actions:
                  - mqtt: {topic: '%s/{sensor}/fan/set', raised: '{level}', cleared: 'OFF'}
            actions:
              mqtt: {min-interval: 0s}        # each command, not the latest of a second's
            """;

    /** One job for both (each start costs seconds of CI): the ack on s-1 and s-2, the shelf on s-3 and s-4. */
    @Test
    void anAckAndAShelfOnOneJob() throws Exception {
        String name = "alertcmd";
        jobs.startWithServices(name, true, RULES.formatted(name, name));
        anAckStopsTheAlertsMqttCommandsUntilItClearsWhileItsRecordsSayAcked(name);
        aShelfSilencesASensorsCommandsKeepsItsRecordsAndEndsByItself(name);
    }

    private void anAckStopsTheAlertsMqttCommandsUntilItClearsWhileItsRecordsSayAcked(String name) throws Exception {
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), name + "/+/fan/set");
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            long now = System.currentTimeMillis();
            device.publish(name + "/site-a/s-1", reading("s-1", now, 29));
            assertThat(fan.await(1, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-1/fan/set warning");

            Cli ack = windrose(name, "alerts", "ack", "too-hot", "s-1", "--comment", "on my way");
            assertThat(ack.exit()).as(ack.err()).isZero();
            assertThat(ack.out()).startsWith("acked too-hot s-1 (warning since ");

            device.publish(name + "/site-a/s-1", reading("s-1", now + 1_000, 32)); // critical: acked, no command
            device.publish(name + "/site-a/s-2", reading("s-2", now + 1_000, 32)); // another sensor's: commands flow
            device.publish(name + "/site-a/s-1", reading("s-1", now + 2_000, 20)); // cleared: OFF
            assertThat(fan.await(3, Duration.ofSeconds(30))).extracting(Object::toString).containsExactly(
                    name + "/s-1/fan/set warning", name + "/s-2/fan/set critical", name + "/s-1/fan/set OFF");

            List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                    AlertEvent.class, 5, Duration.ofSeconds(60));
            assertThat(alerts.stream().map(TestKafka.Keyed::value).filter(a -> a.getSensorId().equals("s-1")))
                    .extracting(a -> a.getState() + " " + a.getLevel() + " acked=" + a.getAcked() + " "
                            + (a.getEventTime().toEpochMilli() - now))
                    .containsExactly("RAISED warning acked=false 0", "RAISED warning acked=true 0",
                            "RAISED critical acked=true 1000", "CLEARED critical acked=true 2000");
            List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, name,
                    "SELECT state, level, acked, ack_comment FROM alerts WHERE sensor = 's-1'"),
                    rows -> rows.size() >= 3 && Boolean.TRUE.equals(rows.get(0).get("acked")), Duration.ofSeconds(30));
            assertThat(points).extracting(p -> p.get("state") + " " + p.get("level") + " " + p.get("acked") + " "
                    + p.get("ack_comment")).as("the raise's own point, acked").containsExactly(
                    "RAISED warning true on my way", "RAISED critical true on my way", "CLEARED critical true on my way");
            Cli list = windrose(name, "alerts", "list");
            assertThat(list.out()).as("s-1 cleared, s-2 raised and not acked").contains("s-2").doesNotContain("s-1");
            Cli none = windrose(name, "alerts", "ack", "too-hot", "s-1");
            assertThat(none.exit()).as("nothing raised to acknowledge").isEqualTo(1);
        }
    }

    private void aShelfSilencesASensorsCommandsKeepsItsRecordsAndEndsByItself(String name) throws Exception {
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), name + "/+/fan/set");
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            long sent = System.currentTimeMillis();
            Cli shelve = windrose(name, "alerts", "shelve", "too-hot", "--sensor", "s-3", "--for", "5s", "--comment",
                    "maintenance");
            assertThat(shelve.exit()).as(shelve.err()).isZero();
            assertThat(shelve.out()).startsWith("shelved too-hot for s-3 until ");
            long until = Instant.parse(shelve.out().strip().substring(shelve.out().strip().lastIndexOf(' ') + 1))
                    .toEpochMilli();
            assertThat(until - sent).isBetween(4_000L, 6_000L);

            long now = System.currentTimeMillis();
            device.publish(name + "/site-a/s-3", reading("s-3", now, 32)); // shelved: no command
            device.publish(name + "/site-a/s-4", reading("s-4", now, 32)); // not shelved
            assertThat(fan.await(1, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-4/fan/set critical");
            // the printed until is cut to the second: up to 999 ms before the shelf really ends
            Thread.sleep(Math.max(0, until - System.currentTimeMillis() + 1_500));
            device.publish(name + "/site-a/s-3", reading("s-3", now + 1_000, 20)); // its clear: raised shelved, nothing
            device.publish(name + "/site-a/s-3", reading("s-3", now + 2_000, 29)); // after the shelf: a command
            assertThat(fan.await(2, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-4/fan/set critical", name + "/s-3/fan/set warning");

            List<AlertEvent> s3 = Await.until(() -> TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                    AlertEvent.class, 1, Duration.ofSeconds(5)).stream().map(TestKafka.Keyed::value)
                    .filter(a -> a.getSensorId().equals("s-3")).toList(), events -> events.size() >= 3, Duration.ofSeconds(60));
            assertThat(s3)
                    .extracting(a -> a.getState() + " " + a.getLevel() + " shelved=" + a.getShelved())
                    .as("records kept").containsExactly("RAISED critical shelved=true", "CLEARED critical shelved=false",
                            "RAISED warning shelved=false");
        }
    }

    private record Cli(int exit, String out, String err) {}

    /** {@code windrose ARGS} with a pipeline file naming the job's Kafka topics, as a user runs it beside the job. */
    private Cli windrose(String name, String... args) throws Exception {
        Path config = RealServices.newDirectory(name + "-cli").resolve("pipeline.yaml");
        Files.writeString(config, """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  influxdb: {enabled: false}
                  kafka: {bootstrap-servers: '%s', alerts-topic: %s.alerts}
                runtime-rules: {topic: %s.rules, status-topic: %s.rules.status, commands-topic: %s.alerts.commands}
                """.formatted(kafka.bootstrapServers(), name, name, name, name));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--timeout", "30s"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Cli(exit, out.toString(), err.toString());
    }

    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }
}
