package io.windrose.localcluster.sparkplug;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Sparkplug B edge node on MQTT 5, written from the specification (Eclipse Sparkplug 3.0, section 5, "Edge Node
 * Session Establishment" and "Termination"): it connects with Clean Start and a session expiry of 0, the NDEATH of
 * {@link EdgeNode#connectWill()} as its will (QoS 1, not retained; {@code bdSeq} one more for each connection),
 * subscribes to its NCMD and DCMD topics (QoS 1) before anything is published, and hands each command it reads to a
 * listener. The births, data and deaths are the {@link EdgeNode}'s; this publishes them with their QoS (0) and
 * retain flag (false). {@link #close()} publishes the NDEATH, then disconnects (so the broker drops the will);
 * {@link #disconnectWithWill()} leaves as a crashed node would: the broker publishes the will.
 *
 * <p>A test publishes as an outside edge node would:
 * <pre>{@code
 * EdgeNode node = new EdgeNode("plant-1", "edge-1")
 *         .deviceMetric("press-1", "Pressure", 10, DataType.DOUBLE, 4.2);
 * try (SparkplugClient client = SparkplugClient.connect("127.0.0.1", port, "test-edge-1", node, command -> {})) {
 *     long now = System.currentTimeMillis();
 *     client.publish(node.births(now));                                  // NBIRTH (seq 0, bdSeq 0), DBIRTH (seq 1)
 *     client.publish(node.ddata("press-1", now, Map.of("Pressure", 4.3))); // by alias 10, seq 2
 * }                                                                      // NDEATH (bdSeq 0), then DISCONNECT
 * }</pre>
 * With {@code reconnect}, a lost connection is tried again every second with a new will (the next {@code bdSeq});
 * {@code onConnected} runs after each connection, the first included (then on the caller's thread, later on the MQTT
 * client's, which must not block: hand the births to another thread), and is where a node publishes its births again.
 */
public final class SparkplugClient implements AutoCloseable {
    private final EdgeNode node;
    private final Mqtt5BlockingClient client;
    private volatile boolean closing;

    private SparkplugClient(EdgeNode node, Mqtt5BlockingClient client) {
        this.node = node;
        this.client = client;
    }

    /** Connects without reconnecting; commands go to {@code onCommand} (on the MQTT client's thread). */
    public static SparkplugClient connect(String host, int port, String clientId, EdgeNode node,
            Consumer<EdgeNode.Command> onCommand) {
        return connect(host, port, clientId, node, onCommand, false, () -> {});
    }

    /**
     * Connects (blocking until the broker accepts), subscribes to the node's NCMD and DCMD topics and returns.
     *
     * @param onCommand each NCMD or DCMD for this node, read (a payload that is not Sparkplug B is logged and dropped)
     * @param reconnect whether to connect again after a lost connection, with the next bdSeq
     * @param onConnected after each connection: the client is subscribed; the node should publish its births
     */
    public static SparkplugClient connect(String host, int port, String clientId, EdgeNode node,
            Consumer<EdgeNode.Command> onCommand, boolean reconnect, Runnable onConnected) {
        SparkplugClient[] self = new SparkplugClient[1];
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port);
        if (reconnect) {
            builder.addDisconnectedListener(context -> reconnect(self[0], node, context))
                    .addConnectedListener(context -> {
                        if (self[0] != null) { // the first connection's births are the caller's, after connect returns
                            onConnected.run();
                        }
                    });
        }
        Mqtt5BlockingClient client = builder.buildBlocking();
        SparkplugClient sparkplug = new SparkplugClient(node, client);
        client.toAsync().publishes(MqttGlobalPublishFilter.SUBSCRIBED, publish -> sparkplug.received(publish, onCommand));
        client.connect(connectPacket(node.connectWill()));
        self[0] = sparkplug;
        sparkplug.subscribe();
        onConnected.run();
        return sparkplug;
    }

    /** The CONNECT of section 5: Clean Start, session expiry 0, the NDEATH as the will. */
    private static Mqtt5Connect connectPacket(SparkplugMessage will) {
        return Mqtt5Connect.builder()
                .cleanStart(true)
                .sessionExpiryInterval(0)
                .keepAlive(30)
                .willPublish()
                .topic(will.topic().toString())
                .payload(will.payload())
                .qos(MqttQos.AT_LEAST_ONCE)
                .retain(false)
                .applyWillPublish()
                .build();
    }

    private static void reconnect(SparkplugClient self, EdgeNode node, MqttClientDisconnectedContext context) {
        if (self == null || self.closing || !(context instanceof Mqtt5ClientDisconnectedContext mqtt5)) {
            return; // the first connect is the caller's to retry; a close is meant
        }
        // each new CONNECT carries the next bdSeq (section 5, Edge Node Session Establishment)
        mqtt5.getReconnector().reconnect(true).resubscribeIfSessionExpired(true).delay(1, TimeUnit.SECONDS)
                .connect(connectPacket(node.connectWill()));
    }

    private void subscribe() {
        client.subscribeWith().topicFilter(node.topic("NCMD", null).toString()).qos(MqttQos.AT_LEAST_ONCE).send();
        client.subscribeWith()
                .topicFilter(Topic.NAMESPACE + "/" + node.group() + "/DCMD/" + node.id() + "/+")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
    }

    private void received(Mqtt5Publish publish, Consumer<EdgeNode.Command> onCommand) {
        try {
            EdgeNode.Command command = node.command(publish.getTopic().toString(), publish.getPayloadAsBytes());
            if (command != null) {
                onCommand.accept(command);
            }
        } catch (InvalidProtocolBufferException e) {
            System.err.println("sparkplug edge node " + node.id() + ": a command on " + publish.getTopic()
                    + " is not a Sparkplug B payload (" + e.getMessage() + "); ignored");
        }
    }

    /** Publishes one message with its QoS and retain flag. */
    public void publish(SparkplugMessage message) {
        client.publishWith()
                .topic(message.topic().toString())
                .qos(message.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .retain(message.retain())
                .payload(message.payload())
                .send();
    }

    /** Publishes messages in order (e.g. {@link EdgeNode#births}). */
    public void publish(List<SparkplugMessage> messages) {
        messages.forEach(this::publish);
    }

    /** Publishes any bytes on any topic, QoS 0 (for tests of what a broken or hostile edge node sends). */
    public void publishRaw(String topic, byte[] payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    /**
     * Leaves as a node that crashed: DISCONNECT with reason 0x04 (MQTT 5: "disconnect with will message"), so the
     * broker publishes the NDEATH registered at connect. Nothing is reconnected.
     */
    public void disconnectWithWill() {
        closing = true;
        client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
    }

    /** Publishes the NDEATH, then disconnects (the broker drops the will); no-op once disconnected. */
    @Override
    public void close() {
        closing = true;
        if (client.getState().isConnected()) {
            try {
                publish(node.ndeath(System.currentTimeMillis()));
            } finally {
                client.disconnect();
            }
        }
    }
}
