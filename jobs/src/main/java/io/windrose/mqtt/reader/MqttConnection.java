package io.windrose.mqtt.reader;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import io.windrose.mqtt.MqttConnectionOptions;
import io.windrose.mqtt.MqttProtocolVersion;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The part of the HiveMQ client that differs between MQTT 5 and 3.1.1: connect, subscribe, receive, disconnect. */
interface MqttConnection {

    static MqttConnection create(MqttClientBuilder builder, MqttConnectionOptions options, Consumer<ReceivedMessage> sink) {
        return options.protocolVersion() == MqttProtocolVersion.V5
                ? new Mqtt5Connection(builder.useMqttVersion5().buildAsync(), options, sink)
                : new Mqtt3Connection(builder.useMqttVersion3().buildAsync(), options, sink);
    }

    /** The first connection; later ones are the client's automatic reconnects. Completes with "session present". */
    CompletableFuture<Boolean> connect(byte[] password);

    /** Completes with one line per refused filter (empty when all were granted). */
    CompletableFuture<List<String>> subscribe(List<String> filters, int qos);

    CompletableFuture<Void> disconnect();

    /** The server's Receive Maximum from CONNACK (MQTT 5 only). */
    OptionalInt serverReceiveMaximum(MqttClientConnectedContext context);

    /** Why the broker refused the connection for good (bad credentials, not authorized, ...), if it did. */
    Optional<String> refusal(Throwable cause);
}
