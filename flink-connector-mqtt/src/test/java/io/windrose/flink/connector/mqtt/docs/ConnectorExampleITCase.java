package io.windrose.flink.connector.mqtt.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DataStream example of docs/mqtt-connector.md, compiled from the page and run as its own program (a Flink
 * mini-cluster in a child JVM) against a real Mosquitto: what is published on in/readings arrives on out/readings
 * with the example's user property.
 */
class ConnectorExampleITCase {
    @TempDir
    Path dir;

    @Test
    void theRelayExampleRelays() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String main = ConnectorDocsTest.compileExample(classes);
        MosquittoServer mosquitto = TestBroker.mosquitto();
        Process example = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), main,
                mosquitto.uri()).redirectErrorStream(true).redirectOutput(dir.resolve("example.log").toFile())
                .start();
        Mqtt5BlockingClient client = MqttClient.builder().identifier("example-test-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).useMqttVersion5().buildBlocking();
        client.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(MqttGlobalPublishFilter.ALL)) {
            client.subscribeWith().topicFilter("out/readings").qos(MqttQos.AT_LEAST_ONCE).send();
            // the example subscribes once its job runs: publish until one comes back relayed
            Optional<Mqtt5Publish> relayed = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            for (int i = 0; relayed.isEmpty() && System.nanoTime() < deadline; i++) {
                assertThat(example.isAlive()).as("the example runs; its log:\n"
                        + Files.readString(dir.resolve("example.log"))).isTrue();
                client.publishWith().topic("in/readings").qos(MqttQos.AT_LEAST_ONCE)
                        .payload(("{\"reading\":" + i + "}").getBytes(StandardCharsets.UTF_8)).send();
                relayed = publishes.receive(1, TimeUnit.SECONDS);
            }
            assertThat(relayed).as("a message relayed to out/readings; the example's log:\n"
                    + Files.readString(dir.resolve("example.log"))).isPresent();
            Mqtt5Publish message = relayed.get();
            assertThat(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)).matches("\\{\"reading\":\\d+}");
            assertThat(message.getUserProperties().asList()).anySatisfy(p -> {
                assertThat(p.getName().toString()).isEqualTo("relayed-by");
                assertThat(p.getValue().toString()).isEqualTo("mqtt-relay");
            });
        } finally {
            client.disconnect();
            example.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
