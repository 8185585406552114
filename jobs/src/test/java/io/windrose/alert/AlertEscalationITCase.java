package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code escalate} through real Mosquitto, Kafka and InfluxDB: the escalated level with its actions. */
class AlertEscalationITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void anAlertStillRaisedAfterItsEscalateTimeGoesUpWithItsActions() throws Exception {
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), "alertesc/+/fan/set")) {
            jobs.startWithServices("alertesc", true, """
                    routes:
                      - name: sensors
                        topic-template: alertesc/{site}/{sensor}
                    rules:
                      - name: hot
                        field: temperature
                        above: 30
                        escalate: {after: 5s, to: critical}
                        actions:
                          - mqtt: {topic: 'alertesc/{sensor}/fan/set', raised: '{level}', cleared: 'OFF'}
                    actions:
                      mqtt: {min-interval: 0s}        # each command, not the latest of a second's
                    """);
            long now = System.currentTimeMillis();
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                for (int i = 0; i <= 7; i++) {
                    device.publish("alertesc/site-a/s-1", reading("s-1", now + i * 1_000, 31));
                }
                device.publish("alertesc/site-a/s-1", reading("s-1", now + 8_000, 20));
            }
            List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), "alertesc.alerts",
                    AlertEvent.class, 3, Duration.ofSeconds(60));
            assertThat(alerts).extracting(a -> a.value().getState() + " " + a.value().getLevel() + " "
                    + a.value().getPreviousLevel() + " " + (a.value().getEventTime().toEpochMilli() - now))
                    .containsExactly("RAISED warning null 0", "RAISED critical warning 5000", "CLEARED critical critical 8000");
            assertThat(fan.await(3, Duration.ofSeconds(30))).extracting(Object::toString)
                    .as("the escalation runs the rule's actions").containsExactly("alertesc/s-1/fan/set warning",
                            "alertesc/s-1/fan/set critical", "alertesc/s-1/fan/set OFF");
            List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, "alertesc",
                    "SELECT state, level FROM alerts WHERE rule = 'hot'"), rows -> rows.size() >= 3, Duration.ofSeconds(30));
            assertThat(points).extracting(p -> p.get("state") + " " + p.get("level"))
                    .containsExactly("RAISED warning", "RAISED critical", "CLEARED critical");
        }
    }

    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }
}
