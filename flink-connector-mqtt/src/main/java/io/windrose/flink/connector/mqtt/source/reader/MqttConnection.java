package io.windrose.flink.connector.mqtt.source.reader;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** The part of the HiveMQ client that differs between MQTT 5 and 3.1.1: connect, subscribe, receive, disconnect. */
interface MqttConnection {

    static MqttConnection create(MqttClientBuilder builder, MqttSourceOptions options, Consumer<ReceivedMessage> sink) {
        return options.connection().protocolVersion() == MqttProtocolVersion.V5
                ? new Mqtt5Connection(builder.useMqttVersion5().buildAsync(), options, sink)
                : new Mqtt3Connection(builder.useMqttVersion3().buildAsync(), options, sink);
    }

    /** The first connection; later ones are the client's automatic reconnects. Completes with "session present". */
    CompletableFuture<Boolean> connect(byte[] password);

    /** Completes with one line per refused filter (empty when all were granted). */
    CompletableFuture<List<String>> subscribe(List<String> filters, int qos);

    /** Removes subscriptions (those that do not exist are no error). */
    CompletableFuture<Void> unsubscribe(List<String> filters);

    CompletableFuture<Void> disconnect();

    /** Whether the broker resumed a session of this client id (with the subscriptions it had then). */
    boolean sessionPresent(MqttClientConnectedContext context);

    /** The server's Receive Maximum from CONNACK (MQTT 5 only). */
    OptionalInt serverReceiveMaximum(MqttClientConnectedContext context);

    /** Why the broker refused the connection for good (bad credentials, not authorized, ...), if it did. */
    Optional<String> refusal(Throwable cause);

    /** One line per filter whose SUBACK code is an error. */
    static <C> List<String> refused(List<String> filters, List<C> codes, Predicate<C> isError) {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            if (isError.test(codes.get(i))) {
                refused.add(filters.get(i) + ": " + codes.get(i));
            }
        }
        return refused;
    }
}
