package io.windrose.localcluster.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The edge node client and the simulated plant against a real Mosquitto, seen by a host application's subscription. */
class SparkplugClientITCase {

    record Received(Topic topic, Payload payload) {}

    /** A host application: subscribes to spBv1.0/#, records what it reads, sends commands. */
    static final class Host implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Mqtt5BlockingClient client;

        Host(int port) {
            client = Mqtt5Client.builder().identifier("test-host").serverHost("127.0.0.1").serverPort(port)
                    .automaticReconnectWithDefaultConfig().buildBlocking();
            client.connect();
            client.toAsync().publishes(MqttGlobalPublishFilter.SUBSCRIBED, p -> {
                try {
                    received.add(new Received(Topic.parse(p.getTopic().toString()), Payload.decode(p.getPayloadAsBytes())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            client.subscribeWith().topicFilter("spBv1.0/#").qos(MqttQos.AT_LEAST_ONCE).send();
        }

        void command(String topic, Metric metric) {
            client.publishWith().topic(topic).payload(new Payload(System.currentTimeMillis(), List.of(metric), null)
                    .encode()).send();
        }

        Received await(Predicate<Received> what, int index) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                List<Received> matching = received.stream().filter(what).toList();
                if (matching.size() > index) {
                    return matching.get(index);
                }
                sleep(50);
            }
            throw new AssertionError("not received in 10 s; received: " + received);
        }

        @Override
        public void close() {
            client.disconnect();
        }
    }

    static Predicate<Received> type(String type, String device) {
        return r -> r.topic().type().equals(type) && java.util.Objects.equals(r.topic().device(), device);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void birthDataAndTheWillAsABrokerDeliversThem() throws Exception {
        Path dir = Files.createTempDirectory("sparkplug-will");
        try (MosquittoServer mosquitto = new MosquittoServer(Ports.free(), dir).start();
                Host host = new Host(mosquitto.port())) {
            EdgeNode node = new EdgeNode("plant-1", "edge-1")
                    .deviceMetric("press-1", "Pressure", 10, DataType.DOUBLE, 4.2);
            List<EdgeNode.Command> commands = new CopyOnWriteArrayList<>();
            SparkplugClient client = SparkplugClient.connect("127.0.0.1", mosquitto.port(), "test-edge-1", node,
                    commands::add);
            long now = System.currentTimeMillis();
            client.publish(node.births(now));
            client.publish(node.ddata("press-1", now, Map.of("Pressure", 4.3)));
            assertThat(host.await(type("DDATA", "press-1"), 0).payload().metrics())
                    .containsExactly(Metric.byAlias(10, DataType.DOUBLE, now, 4.3));
            assertThat(host.received).extracting(r -> r.topic().type(), r -> r.payload().seq()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("NBIRTH", 0L), org.assertj.core.groups.Tuple.tuple("DBIRTH", 1L),
                    org.assertj.core.groups.Tuple.tuple("DDATA", 2L));

            host.command("spBv1.0/plant-1/NCMD/edge-1", Metric.named(EdgeNode.REBIRTH, DataType.BOOLEAN, now, true));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (commands.isEmpty() && System.nanoTime() < deadline) {
                sleep(20);
            }
            assertThat(commands).singleElement().satisfies(c -> assertThat(c.rebirth()).isTrue());

            client.disconnectWithWill(); // as a crash: the broker publishes the will
            Received will = host.await(type("NDEATH", null), 0);
            assertThat(will.payload().seq()).isNull();
            assertThat(will.payload().metric("bdSeq").value()).isEqualTo(0L);
        }
    }

    @Test
    void aNodeLeavingOnPurposeSaysSoAndTheBrokerDropsTheWill() throws Exception {
        Path dir = Files.createTempDirectory("sparkplug-close");
        try (MosquittoServer mosquitto = new MosquittoServer(Ports.free(), dir).start();
                Host host = new Host(mosquitto.port())) {
            EdgeNode node = new EdgeNode("plant-1", "edge-2").nodeMetric("Uptime", 1, DataType.UINT64, 0L);
            try (SparkplugClient client = SparkplugClient.connect("127.0.0.1", mosquitto.port(), "test-edge-2", node,
                    c -> {})) {
                client.publish(node.births(System.currentTimeMillis()));
                host.await(type("NBIRTH", null), 0);
            }
            host.await(type("NDEATH", null), 0);
            sleep(1000);
            assertThat(host.received.stream().filter(type("NDEATH", null))).hasSize(1);
        }
    }

    @Test
    void theSimulatedPlantRebirthsOnRequestObeysItsFanAndReconnectsWithTheNextBdSeq() throws Exception {
        Path dir = Files.createTempDirectory("sparkplug-plant");
        int port = Ports.free();
        MosquittoServer mosquitto = new MosquittoServer(port, dir).start();
        try (Host host = new Host(port); PlantEdgeNodeRunner runner = new PlantEdgeNodeRunner("127.0.0.1", port)) {
            Thread thread = new Thread(runner, "plant");
            thread.setDaemon(true);
            thread.start();
            Received nbirth = host.await(type("NBIRTH", null), 0);
            assertThat(nbirth.payload().metric("bdSeq").value()).isEqualTo(0L);
            host.await(type("DBIRTH", "press-1"), 0);
            host.await(type("DDATA", "press-1"), 0);

            host.command("spBv1.0/plant-1/NCMD/edge-1", Metric.named(EdgeNode.REBIRTH, DataType.BOOLEAN, 0, true));
            assertThat(host.await(type("NBIRTH", null), 1).payload().seq()).isZero();

            // the Fan by alias and datatype, as the job's sparkplug action sends it; press-1 has no Fan: ignored
            long oven = host.received.stream().filter(type("DBIRTH", "oven-1")).count();
            if (oven > 0 && PlantEdgeNode.ovenOnline(System.currentTimeMillis() + 5000)) {
                long alias = host.await(type("DBIRTH", "oven-1"), 0).payload().metric("Fan").alias();
                host.command("spBv1.0/plant-1/DCMD/edge-1/oven-1", Metric.byAlias(alias, DataType.BOOLEAN, 0, true));
                host.await(r -> type("DDATA", "oven-1").test(r) && Boolean.TRUE.equals(r.payload().metric(alias).value()), 0);
            }

            // the broker goes and comes back: a new connection with a new will, the next bdSeq, and its births (which
            // this host may miss while it is subscribing again: QoS 0; a rebirth request, once data flows, brings them)
            mosquitto.close();
            int before = host.received.size();
            mosquitto = new MosquittoServer(port, dir).start();
            host.await(r -> host.received.indexOf(r) >= before && r.topic().type().equals("DDATA"), 0);
            host.command("spBv1.0/plant-1/NCMD/edge-1", Metric.named(EdgeNode.REBIRTH, DataType.BOOLEAN, 0, true));
            Received again = host.await(r -> type("NBIRTH", null).test(r)
                    && Long.valueOf(1).equals(r.payload().metric("bdSeq").value()), 0);
            assertThat(again.payload().seq()).isZero();
        } finally {
            mosquitto.close();
        }
    }
}
