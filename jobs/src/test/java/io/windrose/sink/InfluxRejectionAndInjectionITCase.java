package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.DeadLetter;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the real InfluxDB refuses becomes a dead letter; what devices send cannot inject line protocol. */
class InfluxRejectionAndInjectionITCase {
    private static final long T0 = 1764144000000L;

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void aFieldTypeConflictSendsThePointToDeadLettersAndTheOthersKeepFlowing() throws Exception {
        JobClient job = jobs.startWithServices("conflict", true, """
                routes:
                  - name: conflict
                    topic-template: conflict/{sensor}
                event-time: {max-out-of-orderness: 1s}
                """);
        // someone wrote temperature_min as a string into this shard before: InfluxDB refuses floats for it now
        influx.write("conflict", "conflict,sensor=other,window=10s temperature_min=\"n/a\" " + (T0 - 60_000));
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 20; i++) {
                devices.publish("conflict/a", "{\"ts\":" + (T0 + i * 1_000L) + ",\"temperature\":" + i + "}");
                devices.publish("conflict/b", "{\"ts\":" + (T0 + i * 1_000L) + ",\"humidity\":" + i + "}");
            }
            devices.publish("conflict/closer", "{\"ts\":" + (T0 + 40_000) + ",\"humidity\":0}");

            List<Map<String, Object>> written = Await.until(() -> InfluxQuery.rows(influx, "conflict",
                    "SELECT humidity_count, sensor FROM conflict WHERE sensor = 'b'"), r -> r.size() >= 2, Duration.ofSeconds(60));
            assertThat(written).extracting(r -> ((Number) r.get("humidity_count")).longValue()).containsExactly(10L, 10L);
            List<TestKafka.Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), "conflict.deadletters",
                    DeadLetter.class, 2, Duration.ofSeconds(60));
            assertThat(dead).hasSize(2).allSatisfy(d -> {
                assertThat(d.key()).isEqualTo("a");
                assertThat(d.value().getReason()).isEqualTo("REJECTED_BY_INFLUXDB");
                assertThat(d.value().getDetail()).as("the server's message").contains("field type conflict");
                assertThat(StandardCharsets.UTF_8.decode(d.value().getPayload()).toString())
                        .startsWith("conflict,sensor=a,window=10s temperature_count=10i");
            });
            assertThat(InfluxQuery.rows(influx, "conflict", "SELECT * FROM conflict WHERE sensor = 'a'")).isEmpty();
            assertThat(InMemoryMetrics.count("pointsRejected")).isEqualTo(2);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        }
    }

    @Test
    void tagValuesAndFieldNamesFromDevicesCannotInjectTagsFieldsOrPoints() throws Exception {
        JobClient job = jobs.startWithServices("inject", false, """
                routes:
                  - name: inj
                    topic-template: inj/{site}/{sensor}
                  - name: inj2
                    measurement: inj
                    topic-template: inj2/{site}
                    sensor-path: id
                event-time: {max-out-of-orderness: 1s}
                """);
        // sensor ids (and a site) as devices could send them: in the topic, or in the payload with any character
        List<String> inTopic = List.of("s 1", "a,b=c", "q\"uo'te", "x\\", "a\\,b=c", "e=", "#no");
        List<String> inPayload = List.of("n\nl", "nul\u0000x", "tab\tx\\");
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (String sensor : inTopic) {
                devices.publish("inj/site/" + sensor.replace("#", "%"), "{\"ts\":" + T0 + ",\"temperature\":1,"
                        + "\"t x,y=z\\\"q\\\\\":2}");
            }
            devices.publish("inj/s,x=1 y/plain", "{\"ts\":" + T0 + ",\"temperature\":1}");
            for (String sensor : inPayload) {
                String json = sensor.replace("\\", "\\\\").replace("\n", "\\n").replace("\u0000", "\\u0000")
                        .replace("\t", "\\t");
                devices.publish("inj2/site", "{\"id\":\"" + json + "\",\"ts\":" + T0 + ",\"temperature\":1}");
            }
            devices.publish("inj/site/closer", "{\"ts\":" + (T0 + 30_000) + ",\"temperature\":1}");

            int sensors = inTopic.size() + 1 + inPayload.size();
            String count = "SELECT count(temperature_count) FROM inj WHERE time < " + (T0 + 10_000) + "ms";
            List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, "inject", count),
                    r -> !r.isEmpty() && ((Number) r.get(0).get("count")).longValue() >= sensors, Duration.ofSeconds(60));
            assertThat(((Number) points.get(0).get("count")).longValue()).as("one point per sensor, no more").isEqualTo(sensors);
            assertThat(values(InfluxQuery.rows(influx, "inject", "SHOW TAG KEYS FROM inj"), "tagKey"))
                    .containsExactly("sensor", "site", "window");
            Set<String> fields = values(InfluxQuery.rows(influx, "inject", "SHOW FIELD KEYS FROM inj"), "fieldKey");
            assertThat(fields).hasSize(12).allSatisfy(f -> assertThat(f).matches("(temperature|t x,y=z\"q\u29F5)_(count|min|max|mean|sum|last)"));
            Set<String> stored = values(InfluxQuery.rows(influx, "inject", "SHOW TAG VALUES FROM inj WITH KEY = sensor"), "value");
            assertThat(stored).hasSize(sensors); // the closer's window is still open
            assertThat(stored).as("values without backslashes or control characters come back as they were")
                    .contains("s 1", "a,b=c", "q\"uo'te", "e=", "%no", "plain");
            assertThat(stored).as("a backslash is written as U+29F5 (InfluxDB 1.x refuses one before a separator)")
                    .contains("x\u29F5", "a\u29F5,b=c");
            assertThat(stored).as("line breaks stay inside their value, NUL is replaced").contains("n\\nl", "nul\uFFFDx");
            Set<String> sites = values(InfluxQuery.rows(influx, "inject", "SHOW TAG VALUES FROM inj WITH KEY = site"), "value");
            assertThat(sites).containsExactlyInAnyOrder("site", "s,x=1 y");
        }
    }

    private static Set<String> values(List<Map<String, Object>> rows, String column) {
        return rows.stream().map(r -> String.valueOf(r.get(column))).collect(Collectors.toCollection(TreeSet::new));
    }
}
