package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.sparkplug.PlantEdgeNode;
import io.windrose.localcluster.sparkplug.PlantEdgeNodeRunner;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.schema.SensorReading;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The local stack's simulated edge node ({@link PlantEdgeNodeRunner} with the real {@link PlantEdgeNode}) through real
 * Mosquitto into a job with the local stack's route and {@code offline} rule, on a clock moved to a few seconds before
 * oven-1's death at 2:30 of the cycle (in the past, so no event time is ahead of the wall clock): the readings of
 * edge-1, edge-1/press-1 and edge-1/oven-1 arrive with the simulator's fields; the oven's DDEATH raises {@code offline}
 * for edge-1/oven-1, and — the clock moved on to 2:49 — its DBIRTH clears it and its data (door open) decodes again;
 * not one dead letter over the run.
 */
class SparkplugSimulatorITCase {
    /** The clock starts this long before oven-1's death in the cycle: two DDATA of each device before it. */
    private static final long LEAD_MS = 5_000;

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();

    @Test
    void theSimulatedPlantsReadingsDeathAndRebirthThroughTheLocalStacksRoute() throws Exception {
        String name = "spsim";
        try (SparkplugITCase.Commands alerts = new SparkplugITCase.Commands(mosquitto.port(), name + "/offline/#")) {
            jobs.startWithServices(name, true, """
                    routes:
                      - name: plant
                        format: sparkplug-b
                        topics: ['spBv1.0/#']
                    rules:
                      - name: offline
                        kind: offline
                        actions:
                          - mqtt: {topic: '%s/offline/{sensor}', raised: 'offline', cleared: 'online'}
                    actions:
                      mqtt: {min-interval: 0s}
                    """.formatted(name));
            AtomicLong offset = new AtomicLong(offsetTo(System.currentTimeMillis(), PlantEdgeNode.OVEN_DEATH_AT - LEAD_MS));
            PlantEdgeNodeRunner runner = new PlantEdgeNodeRunner("127.0.0.1", mosquitto.port(),
                    () -> System.currentTimeMillis() + offset.get());
            Thread thread = new Thread(runner, "spsim-plant");
            thread.setDaemon(true);
            long started = System.currentTimeMillis() + offset.get();
            thread.start();
            try {
                List<SensorReading> before = Await.until(() -> readings(name), r -> r.stream()
                        .filter(x -> x.getEventTime().toEpochMilli() > started + 1_000)
                        .map(SensorReading::getSensorId).distinct().count() >= 2, Duration.ofSeconds(20));
                assertThat(before).as("births and data by alias of the node and both devices")
                        .allSatisfy(r -> assertThat(r.getTags()).containsEntry("group", PlantEdgeNode.GROUP)
                                .containsEntry("edge_node", PlantEdgeNode.EDGE_NODE))
                        .extracting(SensorReading::getSensorId).contains("edge-1", "edge-1/press-1", "edge-1/oven-1");
                Map<String, Set<String>> fields = Map.of(
                        "edge-1", Set.of("Uptime"),
                        "edge-1/press-1", Set.of("Pressure", "Cycles", "Running"),
                        "edge-1/oven-1", Set.of("Temperature", "Door Open", "Fan"));
                assertThat(before).allSatisfy(r -> assertThat(r.getFields().keySet()).as(r.getSensorId())
                        .isEqualTo(fields.get(r.getSensorId())));
                assertThat(before).filteredOn(r -> r.getSensorId().equals("edge-1/press-1")).allSatisfy(r -> {
                    assertThat(r.getFields().get("Pressure")).as("running: 6 ± 0.5 bar").isBetween(5.3, 6.7);
                    assertThat(r.getFields().get("Running")).isEqualTo(1.0);
                });
                assertThat(before).filteredOn(r -> r.getSensorId().equals("edge-1/oven-1")).allSatisfy(r -> {
                    assertThat(r.getFields().get("Temperature")).as("180 ± 5 °C").isBetween(170.0, 190.0);
                    assertThat(r.getFields().get("Door Open")).isEqualTo(0.0);
                });

                assertThat(alerts.await(1, Duration.ofSeconds(20))).extracting(SparkplugITCase.Commands.Received::toString)
                        .as("oven-1's DDEATH at 2:30").containsExactly(name + "/offline/edge-1/oven-1 offline");

                // on to 2:49 of the cycle: oven-1's DBIRTH comes at 2:50, with its door open
                offset.addAndGet(PlantEdgeNode.OVEN_BIRTH_AT - 1_000 - phase(System.currentTimeMillis() + offset.get()));
                long reborn = System.currentTimeMillis() + offset.get();
                assertThat(alerts.await(2, Duration.ofSeconds(20))).extracting(SparkplugITCase.Commands.Received::toString)
                        .containsExactly(name + "/offline/edge-1/oven-1 offline", name + "/offline/edge-1/oven-1 online");
                List<SensorReading> after = Await.until(() -> readings(name).stream()
                        .filter(r -> r.getSensorId().equals("edge-1/oven-1") && r.getEventTime().toEpochMilli() > reborn)
                        .toList(), r -> r.size() >= 2, Duration.ofSeconds(20));
                assertThat(after).as("oven-1's DBIRTH and DDATA after it, door open").allSatisfy(r -> {
                    assertThat(r.getFields().keySet()).isEqualTo(fields.get("edge-1/oven-1"));
                    assertThat(r.getFields().get("Door Open")).isEqualTo(1.0);
                });
            } finally {
                runner.close();
                thread.join(5_000);
            }
            List<TestKafka.Keyed<AlertEvent>> offline = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                    AlertEvent.class, 2, Duration.ofSeconds(10));
            assertThat(offline).filteredOn(a -> a.value().getSensorId().equals("edge-1/oven-1"))
                    .extracting(a -> a.value().getRule() + " " + a.value().getState())
                    .as("then the NDEATH of the runner's close").startsWith("offline RAISED", "offline CLEARED");
            List<TestKafka.Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), name + ".deadletters",
                    DeadLetter.class, 1, Duration.ofSeconds(1));
            assertThat(dead).extracting(d -> d.value().getReason() + " " + d.value().getTopic() + " "
                    + d.value().getDetail()).as("dead letters over the run").isEmpty();
        }
    }

    private List<SensorReading> readings(String name) {
        return TestKafka.read(kafka.bootstrapServers(), name + ".readings", SensorReading.class, Integer.MAX_VALUE,
                Duration.ofMillis(500)).stream().map(TestKafka.Keyed::value).toList();
    }

    private static long phase(long time) {
        return Math.floorMod(time, PlantEdgeNode.CYCLE_MS);
    }

    /**
     * The offset (≤ -30 s) that puts {@code now} at {@code target} ms of the simulator's cycle: in the past, so that
     * moving on to oven-1's birth later still stays behind the wall clock.
     */
    private static long offsetTo(long now, long target) {
        long back = Math.floorMod(phase(now) - target, PlantEdgeNode.CYCLE_MS);
        return -(back < 30_000 ? back + PlantEdgeNode.CYCLE_MS : back);
    }
}
