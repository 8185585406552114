package io.windrose.flink.connector.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The source in a Flink job against a real Mosquitto: a deserialization schema sees what MQTT 5 sends besides the
 * payload, and a first server that is down is skipped for the next.
 */
class MqttSourceITCase {
    private static final MosquittoServer mosquitto = TestBroker.mosquitto();

    @Test
    void theSchemaSeesTopicQosRetainedAndTheMqtt5Properties() throws Exception {
        String prefix = "props-" + UUID.randomUUID();
        MqttSourceBuilder<String> source = MqttSource.<String>builder()
                .setServers(List.of(mosquitto.uri()))
                .setTopics(prefix + "/#")
                .setClientIdPrefix(prefix)
                .setDeserializer(new Describe());
        Mqtt5BlockingClient before = device(); // a retained message, delivered when the reader subscribes
        before.publishWith().topic(prefix + "/r").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("kept".getBytes(StandardCharsets.UTF_8)).send();
        before.disconnect();
        List<String> received = run(source, prefix, prefix + "/#", 3, () -> {
            Mqtt5BlockingClient device = device();
            device.publishWith().topic(prefix + "/a").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("{\"t\":1}".getBytes(StandardCharsets.UTF_8))
                    .contentType("application/json")
                    .correlationData("req-7".getBytes(StandardCharsets.UTF_8))
                    .responseTopic(prefix + "/reply")
                    .userProperties().add("site", "north").add("site", "south").add("unit", "C").applyUserProperties()
                    .send();
            device.publishWith().topic(prefix + "/b").qos(MqttQos.AT_MOST_ONCE)
                    .payload("plain".getBytes(StandardCharsets.UTF_8)).send();
            device.disconnect();
        });
        assertThat(received).containsExactly(
                prefix + "/r qos1 retained kept [] - - -",
                prefix + "/a qos1 {\"t\":1} [site=north, site=south, unit=C] application/json req-7 " + prefix + "/reply",
                prefix + "/b qos0 plain [] - - -");
    }

    @Test
    void aServerThatIsDownIsSkippedForTheNext() throws Exception {
        String prefix = "failover-" + UUID.randomUUID();
        MqttSourceBuilder<String> source = MqttSource.<String>builder()
                .setServers(List.of("tcp://127.0.0.1:" + Ports.free(), mosquitto.uri()))
                .setTopics(prefix + "/#")
                .setClientIdPrefix(prefix)
                .setReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200))
                .setDeserializer(new Describe());
        List<String> received = run(source, prefix, prefix + "/#", 1, () -> {
            Mqtt5BlockingClient device = device();
            device.publishWith().topic(prefix + "/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("1".getBytes(StandardCharsets.UTF_8)).send();
            device.disconnect();
        });
        assertThat(received).containsExactly(prefix + "/x qos1 1 [] - - -");
    }

    /** Runs the source in a mini-cluster, publishes once its reader subscribed, and returns the first n records. */
    private static List<String> run(MqttSourceBuilder<String> source, String prefix, String filter, int n,
            Runnable publish) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        CloseableIterator<String> records = env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "mqtt")
                .collectAsync();
        JobClient job = env.executeAsync(prefix);
        try (records) {
            mosquitto.awaitSubscription(prefix, filter, Duration.ofSeconds(60));
            CompletableFuture.runAsync(publish).get(30, TimeUnit.SECONDS);
            List<String> received = new ArrayList<>();
            while (received.size() < n && records.hasNext()) {
                received.add(records.next());
            }
            return received;
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    private static Mqtt5BlockingClient device() {
        Mqtt5BlockingClient device = MqttClient.builder().identifier("device-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).useMqttVersion5().buildBlocking();
        device.connect();
        return device;
    }

    /** One line per message: topic, QoS, payload, user properties, content type, correlation data, response topic. */
    private static final class Describe implements MqttDeserializationSchema<String> {
        @Override
        public void deserialize(MqttRecord record, Collector<String> out) {
            List<String> properties = record.userProperties().stream().map(p -> p.name() + "=" + p.value()).toList();
            out.collect(record.topic() + " qos" + record.qos() + (record.retained() ? " retained" : "") + " "
                    + new String(record.payload(), StandardCharsets.UTF_8) + " " + properties + " "
                    + record.contentType().orElse("-") + " "
                    + record.correlationData().map(b -> new String(b, StandardCharsets.UTF_8)).orElse("-") + " "
                    + record.responseTopic().orElse("-"));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
