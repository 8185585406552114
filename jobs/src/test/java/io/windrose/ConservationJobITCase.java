package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing lost, nothing silent: a mixed stream of good, bad, late and duplicate messages through a real broker, and
 * every message is accounted for — published = aggregated + dead letters + late + duplicates dropped (+ the one
 * reading that closes the windows and so waits in an open window) — in the outputs and in the metrics.
 */
class ConservationJobITCase {
    private static final long T0 = 1764144000000L;
    private static final String DB = "conservation";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void everyPublishedMessageIsAggregatedDeadLetteredLateOrADroppedDuplicate() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        KafkaServer kafka = RealServices.kafka();
        InfluxServer influx = RealServices.influx();
        int good = 0;
        int duplicates = 0;
        int bad = 0;
        int late = 0;
        jobs.startWithServices(DB, true, """
                routes:
                  - name: mix
                    topic-template: mix/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                """);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            List<String> badPayloads = List.of("", "{\"ts\":", "[1]", "{\"ts\":1,\"t\":NaN}", "{\"t\":1}",
                    "{\"ts\":1,\"t\":\"x\"}", "{\"ts\":4102444800000,\"t\":1}", "\u00ff\u00fe");
            for (int i = 0; i < 30; i++) {
                for (String sensor : List.of("a", "b", "c")) {
                    String payload = reading(T0 + i * 1_000L, i);
                    devices.publish("mix/" + sensor, payload);
                    good++;
                    if (i % 9 == 0) { // the same message again, as a broker redelivery would bring it
                        devices.publish("mix/" + sensor, payload);
                        duplicates++;
                    }
                }
                if (i % 4 == 0) {
                    devices.publish("mix/x", badPayloads.get(bad % badPayloads.size()));
                    bad++;
                }
            }
            devices.publish("mix/closer", reading(T0 + 45_000, 0)); // waits in its open window
            String closed = "SELECT sum(temperature_count) FROM mix WHERE time < " + (T0 + 30_000) + "ms";
            Await.until(() -> sum(influx, closed), n -> n >= 90, Duration.ofSeconds(60));
            for (int i = 0; i < 5; i++) {
                devices.publish("mix/a", reading(T0 + i * 1_000L + 500, 99)); // windows long closed
                late++;
            }
            int published = good + duplicates + bad + late + 1;

            List<TestKafka.Keyed<SensorReading>> lateOut = TestKafka.read(kafka.bootstrapServers(), "conservation.late",
                    SensorReading.class, late, Duration.ofSeconds(60));
            List<TestKafka.Keyed<DeadLetter>> deadOut = TestKafka.read(kafka.bootstrapServers(),
                    "conservation.deadletters", DeadLetter.class, bad, Duration.ofSeconds(60));
            long aggregated = sum(influx, closed);
            long dropped = InMemoryMetrics.count("duplicatesDropped");

            assertThat(aggregated).as("aggregated").isEqualTo(good);
            assertThat(deadOut).as("dead letters").hasSize(bad);
            assertThat(lateOut).as("late").hasSize(late);
            assertThat(dropped).as("duplicates dropped").isEqualTo(duplicates);
            assertThat(aggregated + deadOut.size() + lateOut.size() + dropped + 1).isEqualTo(published);

            long decoded = InMemoryMetrics.count("readingsDecoded");
            long deadCounted = Arrays.stream(DeadLetterReason.values()).mapToLong(r -> InMemoryMetrics.count(r.name())).sum();
            assertThat(decoded + deadCounted).as("metrics: decoded + dead letters").isEqualTo(published);
            assertThat(InMemoryMetrics.count("lateReadings")).as("metrics: late").isEqualTo(late);
            assertThat(decoded).as("metrics: decoded = aggregated + late + duplicates + open")
                    .isEqualTo(aggregated + late + dropped + 1);
        }
    }

    private static String reading(long ts, double temperature) {
        return "{\"ts\":" + ts + ",\"temperature\":" + temperature + "}";
    }

    private static long sum(InfluxServer influx, String select) {
        List<Map<String, Object>> rows = InfluxQuery.rows(influx, DB, select);
        return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("sum")).longValue();
    }
}
