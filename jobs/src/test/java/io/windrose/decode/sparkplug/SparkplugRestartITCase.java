package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.sparkplug.DataType;
import io.windrose.localcluster.sparkplug.EdgeNode;
import io.windrose.localcluster.sparkplug.SparkplugMessage;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job restart between an edge node's births and its data: the births live in the {@code sparkplug} operator's keyed
 * state, so after a restore from a checkpoint (a failure) or from a savepoint (stop, start again) the data by alias
 * alone — no new births — still decodes under the metrics' names, with no {@code SPARKPLUG_*} dead letter and no
 * rebirth request. Births and data are published at QoS 1 (the specification's are QoS 0) so that the data sent while
 * the job is away waits in its persistent session instead of being lost to a sequence gap.
 */
class SparkplugRestartITCase {
    private static final String GROUP = "sprestart";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void dataByAliasAfterARestoreFromACheckpointDecodesWithTheBirthsOfBeforeTheFailure() throws Exception {
        String name = "sprestartcp";
        String edge = "edge-cp";
        PipelineConfig config = config(name);
        // the failure: at the first message after the first completed checkpoint that covers the two births
        FailOnceAfterCheckpoint.reset(2, 1);
        jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
        EdgeNode node = node(edge);
        try (SparkplugITCase.Commands rebirths = new SparkplugITCase.Commands(mosquitto.port(),
                "spBv1.0/" + GROUP + "/NCMD/" + edge); TestMqtt mqtt = new TestMqtt(mosquitto.port())) {
            long t0 = System.currentTimeMillis();
            publish(mqtt, node.nbirth(t0));
            publish(mqtt, node.dbirth("press", t0));
            // commands to another node are not data (ignored by the job): they only move the failure along
            for (int i = 0; i < 300 && !FailOnceAfterCheckpoint.FAILED.get(); i++) {
                mqtt.publish("spBv1.0/" + GROUP + "/NCMD/nobody", new byte[0]);
                Thread.sleep(100);
            }
            assertThat(FailOnceAfterCheckpoint.FAILED).as("the failure was injected").isTrue();
            assertThat(FailOnceAfterCheckpoint.CHECKPOINTED_AT.get()).as("after a checkpoint with both births")
                    .isGreaterThanOrEqualTo(2);

            long t1 = System.currentTimeMillis();
            publish(mqtt, node.ddata("press", t1, Map.of("Pressure", 7.25, "Strokes", 42L)));
            assertDecodedWithoutRebirth(name, edge, t1, rebirths);
        }
    }

    @Test
    void dataByAliasAfterARestoreFromASavepointDecodesWithTheBirthsOfTheStoppedJob() throws Exception {
        String name = "sprestartsp";
        String edge = "edge-sp";
        PipelineConfig config = config(name);
        JobClient job = jobs.start(config, mosquitto);
        EdgeNode node = node(edge);
        try (SparkplugITCase.Commands rebirths = new SparkplugITCase.Commands(mosquitto.port(),
                "spBv1.0/" + GROUP + "/NCMD/" + edge); TestMqtt mqtt = new TestMqtt(mosquitto.port())) {
            long t0 = System.currentTimeMillis();
            publish(mqtt, node.nbirth(t0));
            publish(mqtt, node.dbirth("press", t0));
            // acked = covered by a completed checkpoint: both births are in the sparkplug operator's state
            Await.until(() -> InMemoryMetrics.count("messagesAcked"), n -> n >= 2, Duration.ofSeconds(30));
            String savepoint = job.stopWithSavepoint(false, RealServices.newDirectory("sprestart-savepoints").toUri()
                    .toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);

            // the data comes while no job runs: it waits in the job's persistent session
            long t1 = System.currentTimeMillis();
            publish(mqtt, node.ddata("press", t1, Map.of("Pressure", 7.25, "Strokes", 42L)));
            config.job.flinkConfig.put("execution.state-recovery.path", savepoint);
            jobs.start(config, mosquitto);
            assertDecodedWithoutRebirth(name, edge, t1, rebirths);
        }
    }

    private PipelineConfig config(String name) {
        influx.createDatabase(name);
        return TestPipelines.load(name, TestPipelines.services(name, mosquitto, influx, name, kafka) + """
                routes:
                  - name: plant
                    format: sparkplug-b
                    topics: ['spBv1.0/%s/#']
                rules:
                  - name: offline
                    kind: offline
                """.formatted(GROUP));
    }

    private static EdgeNode node(String edge) {
        EdgeNode node = new EdgeNode(GROUP, edge)
                .nodeMetric("Uptime", 1, DataType.UINT32, 0)
                .deviceMetric("press", "Pressure", 20, DataType.DOUBLE, 1.5)
                .deviceMetric("press", "Strokes", 21, DataType.UINT64, 0L);
        node.connectWill(); // bdSeq 0: the node's MQTT connection is the test's publisher
        return node;
    }

    /** Publishes at QoS 1 (see the class comment). */
    private static void publish(TestMqtt mqtt, SparkplugMessage message) {
        mqtt.publish(message.topic().toString(), message.payload());
    }

    private void assertDecodedWithoutRebirth(String name, String edge, long t1, SparkplugITCase.Commands rebirths) {
        // until the data is read, or is a dead letter (what a restore without the births would make of it)
        Outcome outcome = Await.until(() -> new Outcome(TestKafka.read(kafka.bootstrapServers(), name + ".readings",
                        SensorReading.class, 1, Duration.ofMillis(500)).stream().map(TestKafka.Keyed::value)
                        .filter(r -> r.getEventTime().toEpochMilli() == t1).toList(),
                        TestKafka.read(kafka.bootstrapServers(), name + ".deadletters", DeadLetter.class, 1,
                                Duration.ofMillis(500)).stream().map(d -> d.value().getReason() + " " + d.value().getDetail())
                                .toList()),
                o -> !o.data().isEmpty() || !o.dead().isEmpty(), Duration.ofSeconds(30));
        assertThat(outcome.dead()).as("dead letters").isEmpty();
        assertThat(outcome.data()).as("the DDATA by alias, named by the births of before the restart").singleElement()
                .satisfies(r -> {
                    assertThat(r.getSensorId()).isEqualTo(edge + "/press");
                    assertThat(r.getTags()).containsEntry("group", GROUP).containsEntry("edge_node", edge)
                            .containsEntry("device", "press");
                    assertThat(r.getFields()).isEqualTo(Map.of("Pressure", 7.25, "Strokes", 42.0));
                });
        assertThat(TestKafka.read(kafka.bootstrapServers(), name + ".deadletters", DeadLetter.class, 1,
                Duration.ofSeconds(1))).as("dead letters, a second later").isEmpty();
        assertThat(rebirths.received()).as("rebirth requests to " + edge).isEmpty();
    }

    private record Outcome(List<SensorReading> data, List<String> dead) {}
}
