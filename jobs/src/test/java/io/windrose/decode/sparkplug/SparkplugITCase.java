package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.sparkplug.DataType;
import io.windrose.localcluster.sparkplug.EdgeNode;
import io.windrose.localcluster.sparkplug.Metric;
import io.windrose.localcluster.sparkplug.Payload;
import io.windrose.localcluster.sparkplug.SparkplugClient;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.DeadLetter;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sparkplug B end to end through real Mosquitto, Kafka and InfluxDB, with an edge node written from the specification
 * (local-cluster's {@code sparkplug} client: hand-encoded protobuf, none of the job's classes): births and data by
 * alias become aggregates with the metrics' names and the tags {@code group}, {@code edge_node}, {@code device}; a
 * DDEATH raises an {@code offline} alert within a second and the next DBIRTH clears it; data by an alias no birth
 * defined is a dead letter with its reason and one NCMD rebirth request; a {@code sparkplug} action writes a DCMD whose metric
 * carries the birth's alias and datatype.
 */
class SparkplugITCase {
    private static final String GROUP = "spbit";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void birthsDataDeathsRebirthsAndCommandsOfAnEdgeNodeWrittenFromTheSpecification() throws Exception {
        String name = "sparkplugit";
        try (Commands commands = new Commands(mosquitto.port(), "spBv1.0/" + GROUP + "/+/edge-x/#");
                Commands alerts = new Commands(mosquitto.port(), name + "/offline/#")) {
            jobs.startWithServices(name, true, """
                    routes:                 # the pipeline of the docs: every Sparkplug B topic
                      - name: plant
                        format: sparkplug-b
                        topics: ['spBv1.0/#']
                    rules:
                      - name: offline
                        kind: offline
                        actions:
                          - mqtt: {topic: '%s/offline/{sensor}', raised: 'offline', cleared: 'online'}
                      - name: oven-hot
                        field: Temperature
                        above: 200
                        sensors: 'edge-x/oven'
                        actions:
                          - sparkplug: {metric: Fan, raised: true, cleared: false}
                    actions:
                      mqtt: {min-interval: 0s}
                    """.formatted(name));
            EdgeNode node = new EdgeNode(GROUP, "edge-x")
                    .nodeMetric("Uptime", 1, DataType.UINT32, 0)
                    .deviceMetric("oven", "Temperature", 10, DataType.FLOAT, 20f)
                    .deviceMetric("oven", "Fan", 11, DataType.BOOLEAN, false)
                    .deviceMetric("press", "Pressure", 20, DataType.DOUBLE, 1.5);
            try (SparkplugClient client = SparkplugClient.connect("127.0.0.1", mosquitto.port(), name + "-edge", node,
                    command -> {})) {
                long t0 = System.currentTimeMillis() / 10_000 * 10_000 - 30_000; // a closed 10 s window's start
                client.publish(node.nbirth(t0));
                client.publish(node.dbirth("oven", t0));
                client.publish(node.dbirth("press", t0));
                client.publish(node.ddata("oven", t0 + 1_000, Map.of("Temperature", 22f)));
                client.publish(node.ddata("oven", t0 + 2_000, Map.of("Temperature", 24f)));
                client.publish(node.ddata("press", t0 + 2_000, Map.of("Pressure", 2.5)));
                // later readings move the watermark past the first window
                client.publish(node.ddata("oven", t0 + 25_000, Map.of("Temperature", 22f)));
                client.publish(node.ddata("press", t0 + 25_000, Map.of("Pressure", 2.0)));

                List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, name,
                        "SELECT * FROM plant WHERE window = '10s' AND time = " + t0 * 1_000_000), r -> r.size() >= 2,
                        Duration.ofSeconds(60));
                assertThat(rows).extracting(r -> r.get("group") + " " + r.get("edge_node") + " " + r.get("device") + " "
                        + r.get("sensor") + " " + number(r.get("Temperature_mean")) + " " + number(r.get("Pressure_mean"))
                        + " " + number(r.get("Uptime_last")))
                        .as("the births' values and the data by alias, under the metrics' names").containsExactlyInAnyOrder(
                                GROUP + " edge-x oven edge-x/oven 22.0 null null",
                                GROUP + " edge-x press edge-x/press null 2.0 null",
                                GROUP + " edge-x null edge-x null null 0.0");

                long died = System.currentTimeMillis();
                client.publish(node.ddeath("oven", System.currentTimeMillis()));
                List<Commands.Received> offline = alerts.await(1, Duration.ofSeconds(30));
                assertThat(offline).extracting(Commands.Received::toString).containsExactly(
                        name + "/offline/edge-x/oven offline");
                assertThat(offline.get(0).at() - died).as("the offline alert's command within a second of the DDEATH")
                        .isLessThan(1_000);
                client.publish(node.dbirth("oven", System.currentTimeMillis()));
                assertThat(alerts.await(2, Duration.ofSeconds(30))).extracting(Commands.Received::toString)
                        .containsExactly(name + "/offline/edge-x/oven offline", name + "/offline/edge-x/oven online");

                // data by an alias no birth defined (in seq): a dead letter each, and one rebirth request for the two
                for (int i = 1; i <= 2; i++) {
                    long now = System.currentTimeMillis();
                    client.publishRaw("spBv1.0/" + GROUP + "/DDATA/edge-x/oven", new Payload(now,
                            List.of(Metric.byAlias(999, DataType.DOUBLE, now, 1.0)), (long) ((node.seq() + i) & 0xFF)).encode());
                }
                List<TestKafka.Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), name + ".deadletters",
                        DeadLetter.class, 2, Duration.ofSeconds(30));
                assertThat(dead).filteredOn(d -> d.value().getTopic().contains("/" + GROUP + "/"))
                        .extracting(d -> d.value().getReason() + " " + d.value().getTopic()).containsExactly(
                        "SPARKPLUG_UNKNOWN_ALIAS spBv1.0/" + GROUP + "/DDATA/edge-x/oven",
                        "SPARKPLUG_UNKNOWN_ALIAS spBv1.0/" + GROUP + "/DDATA/edge-x/oven");
                Thread.sleep(1_000);
                List<Commands.Received> ncmd = commands.received().stream()
                        .filter(c -> c.topic().equals("spBv1.0/" + GROUP + "/NCMD/edge-x")).toList();
                assertThat(ncmd).hasSize(1);
                Metric rebirth = Payload.decode(ncmd.get(0).payload()).metric("Node Control/Rebirth");
                assertThat(rebirth.booleanValue()).isTrue();

                // the node is born again: its data is read again, and a hot oven gets its fan switched by alias
                client.publish(node.births(System.currentTimeMillis()));
                client.publish(node.ddata("oven", System.currentTimeMillis(), Map.of("Temperature", 250f)));
                Commands.Received dcmd = Await.until(() -> commands.received().stream()
                                .filter(c -> c.topic().equals("spBv1.0/" + GROUP + "/DCMD/edge-x/oven")).findFirst(),
                        found -> found.isPresent(), Duration.ofSeconds(30)).orElseThrow();
                Payload write = Payload.decode(dcmd.payload());
                assertThat(write.metrics()).singleElement().satisfies(metric -> {
                    assertThat(metric.alias()).as("the birth's alias").isEqualTo(11L);
                    assertThat(metric.name()).as("named by alias only").isNull();
                    assertThat(metric.datatype()).as("the birth's datatype").isEqualTo(DataType.BOOLEAN);
                    assertThat(metric.booleanValue()).isTrue();
                });
                List<TestKafka.Keyed<AlertEvent>> hot = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                        AlertEvent.class, 3, Duration.ofSeconds(30));
                assertThat(hot).extracting(a -> a.value().getRule() + " " + a.value().getState() + " "
                        + a.value().getSensorId()).contains("oven-hot RAISED edge-x/oven");
            }
        }
    }

    private static String number(Object value) {
        return value == null ? "null" : String.valueOf(((Number) value).doubleValue());
    }

    /** A subscriber that keeps each message's bytes and when it came. */
    static final class Commands implements AutoCloseable {
        record Received(String topic, byte[] payload, long at) {
            @Override
            public String toString() {
                return topic + " " + new String(payload, java.nio.charset.StandardCharsets.UTF_8);
            }
        }

        private final Mqtt5BlockingClient client;
        private final List<Received> received = new CopyOnWriteArrayList<>();

        Commands(int port, String filter) {
            client = Mqtt5Client.builder().identifier("sparkplugit-" + java.util.UUID.randomUUID())
                    .serverHost("127.0.0.1").serverPort(port).buildBlocking();
            client.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Received(
                    p.getTopic().toString(), p.getPayloadAsBytes(), System.currentTimeMillis())));
            client.connect();
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        }

        List<Received> received() {
            return List.copyOf(received);
        }

        List<Received> await(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return received();
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }
}
