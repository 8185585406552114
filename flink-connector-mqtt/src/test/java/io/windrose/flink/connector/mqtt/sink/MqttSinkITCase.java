package io.windrose.flink.connector.mqtt.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The sink in a Flink job against a real Mosquitto: at-least-once QoS 1 publishes all arrive (the job ends only once
 * the last flush saw them acknowledged) with their MQTT 5 properties, and a first server that is down is skipped.
 */
class MqttSinkITCase {
    private static final MosquittoServer mosquitto = TestBroker.mosquitto();

    @Test
    void atLeastOncePublishesArriveWithTheirMqtt5Properties() throws Exception {
        String prefix = "sink-" + UUID.randomUUID();
        List<String> received = run(prefix, MqttSink.<String>builder()
                .setServers(List.of(mosquitto.uri()))
                .setClientIdPrefix(prefix)
                .setSerializationSchema(new Describe(prefix)), 3);
        assertThat(received).containsExactlyInAnyOrder(
                prefix + "/a qos1 a [n=a, site=north] expiry=true reply=" + prefix + "/reply corr=id-a type=text/plain",
                prefix + "/b qos1 b [n=b, site=north] expiry=true reply=" + prefix + "/reply corr=id-b type=text/plain",
                prefix + "/c qos1 c [n=c, site=north] expiry=true reply=" + prefix + "/reply corr=id-c type=text/plain");
    }

    @Test
    void aServerThatIsDownIsSkippedForTheNext() throws Exception {
        String prefix = "sink-failover-" + UUID.randomUUID();
        List<String> received = run(prefix, MqttSink.<String>builder()
                .setServers(List.of("tcp://127.0.0.1:" + Ports.free(), mosquitto.uri()))
                .setReconnectDelays(Duration.ofMillis(50), Duration.ofMillis(200))
                .setClientIdPrefix(prefix)
                .setSerializationSchema(new Describe(prefix)), 3);
        assertThat(received).hasSize(3).allSatisfy(line -> assertThat(line).startsWith(prefix + "/"));
    }

    /** Runs a bounded job of a, b, c into the sink; returns what a subscriber to prefix/# got. */
    private static List<String> run(String prefix, MqttSinkBuilder<String> sink, int n) throws Exception {
        Mqtt5BlockingClient subscriber = MqttClient.builder().identifier("sub-" + UUID.randomUUID())
                .serverHost("127.0.0.1").serverPort(mosquitto.port()).useMqttVersion5().buildBlocking();
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter(prefix + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.enableCheckpointing(500);
            env.fromData("a", "b", "c").sinkTo(sink.build()).name("mqtt-out");
            env.execute(prefix);
            List<String> received = new ArrayList<>();
            while (received.size() < n) {
                Mqtt5Publish publish = publishes.receive(30, TimeUnit.SECONDS).orElseThrow(
                        () -> new AssertionError("only " + received + " arrived"));
                received.add(describe(publish));
            }
            return received;
        } finally {
            subscriber.disconnect();
        }
    }

    private static String describe(Mqtt5Publish p) {
        return p.getTopic() + " qos" + p.getQos().getCode() + " "
                + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8) + " "
                + p.getUserProperties().asList().stream().map(u -> u.getName() + "=" + u.getValue()).toList()
                + " expiry=" + p.getMessageExpiryInterval().isPresent()
                + " reply=" + p.getResponseTopic().map(Object::toString).orElse("-")
                + " corr=" + p.getCorrelationData().map(b -> StandardCharsets.UTF_8.decode(b).toString()).orElse("-")
                + " type=" + p.getContentType().map(Object::toString).orElse("-");
    }

    /** prefix/<s> with payload s, QoS 1, and every MQTT 5 property. */
    private record Describe(String prefix) implements MqttRecordSerializationSchema<String> {
        @Override
        public MqttOutgoingRecord serialize(String s) {
            return MqttOutgoingRecord.builder(prefix + "/" + s, s.getBytes(StandardCharsets.UTF_8))
                    .qos(1).messageExpirySeconds(600L).userProperty("n", s).userProperty("site", "north")
                    .responseTopic(prefix + "/reply").correlationData(("id-" + s).getBytes(StandardCharsets.UTF_8))
                    .contentType("text/plain").build();
        }
    }
}
