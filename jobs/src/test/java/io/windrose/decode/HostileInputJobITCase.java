package io.windrose.decode;

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
import io.windrose.testing.TestKafka.Keyed;
import io.windrose.testing.TestMqtt;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Generated bad input through a real broker into a running job: the job keeps running, every input becomes a dead
 * letter on Kafka with the expected reason, its topic and its payload (cut to the configured bound), the per-reason
 * metrics agree, and good readings published after all of it (JSON, Avro single-object) still become aggregates.
 */
class HostileInputJobITCase {
    private static final String DB = "hostile";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void badInputNeverFailsTheJobAndEachBecomesADeadLetterWithItsReason() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        KafkaServer kafka = RealServices.kafka();
        InfluxServer influx = RealServices.influx();
        String root = "hostile";
        List<HostileInputs.Case> cases = HostileInputs.cases(root, 3);
        JobClient job = jobs.startWithServices(DB, true, "routes:\n"
                + HostileInputs.routesYaml(root, DeviceRoutesTest.GATEWAY_SCHEMA.toString())
                + "event-time: {max-out-of-orderness: 1s}\n");
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (HostileInputs.Case c : cases) {
                devices.publish(c.topic(), c.payload());
            }
            String good = "{\"ts\":" + HostileInputs.TS + ",\"temperature\":21.5}";
            devices.publish(root + "/json/site/s-ok", good);
            devices.publish(root + "/avro1/hall", HostileInputs.GATEWAY.gatewaySingleObject("press-9", HostileInputs.TS,
                    Map.of("pressure", 4.5)));
            devices.publish(root + "/json/site/s-ok", "{\"ts\":" + (HostileInputs.TS + 20_000) + ",\"temperature\":1}");
        }

        List<Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), "hostile.deadletters",
                DeadLetter.class, cases.size(), Duration.ofSeconds(90));
        assertThat(dead).hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) { // one reader, one broker connection: in publish order
            HostileInputs.Case c = cases.get(i);
            DeadLetter letter = dead.get(i).value();
            assertThat(letter.getReason()).as(c.what() + ": " + letter.getDetail()).isEqualTo(c.reason().name());
            assertThat(letter.getTopic()).as(c.what()).isEqualTo(c.topic());
            assertThat(letter.getPayloadSize()).as(c.what()).isEqualTo(c.payload().length);
            byte[] kept = bytes(letter.getPayload());
            assertThat(kept).as(c.what()).isEqualTo(Arrays.copyOf(c.payload(), Math.min(c.payload().length, 64 * 1024)));
        }

        Map<String, Long> expected = cases.stream().collect(Collectors.groupingBy(c -> c.reason().name(), TreeMap::new,
                Collectors.counting()));
        Map<String, Long> counted = expected.keySet().stream().collect(Collectors.toMap(Function.identity(),
                InMemoryMetrics::count, (a, b) -> a, TreeMap::new));
        assertThat(counted).isEqualTo(expected);

        List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, DB,
                "SELECT temperature_count FROM json WHERE sensor = 's-ok'"), r -> !r.isEmpty(), Duration.ofSeconds(60));
        assertThat(rows).as("the good reading after the bad ones").hasSize(1);
        assertThat(((Number) rows.get(0).get("temperature_count")).longValue()).isEqualTo(1);
        List<Map<String, Object>> avro = Await.until(() -> InfluxQuery.rows(influx, DB,
                "SELECT pressure_sum, sensor, site FROM avro1"), r -> !r.isEmpty(), Duration.ofSeconds(30));
        assertThat(avro).as("Avro single-object, schema found by fingerprint")
                .extracting(r -> r.get("sensor"), r -> r.get("site"), r -> ((Number) r.get("pressure_sum")).doubleValue())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("press-9", "hall", 4.5));
        assertThat(InMemoryMetrics.count("readingsDecoded")).isEqualTo(3);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(InMemoryMetrics.gauge("numRestarts")).as("restarts").isZero();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
