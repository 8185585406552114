package io.windrose.flink.connector.mqtt.source.reader;

import com.hivemq.client.internal.mqtt.MqttClientConfig;
import com.hivemq.client.internal.mqtt.MqttClientConnectionConfig;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import io.netty.channel.Channel;

/**
 * The Netty channel of a HiveMQ client's connection, for {@link AckFlushConsolidation} and {@link ReadPacing}.
 *
 * <p>FOUND (hivemq-mqtt-client 1.3.17): the channel is reachable only through the client's internal
 * {@code MqttClientConfig} ({@code getRawConnectionConfig().getChannel()}), and with MQTT 3.1.1 not at all (its
 * context is a view without the delegate). Where it is not reachable the reader runs without both, as before them.
 */
final class ClientChannel {
    private ClientChannel() {}

    /** The connection's channel, or null when the client does not expose it. */
    static Channel of(MqttClientConnectedContext context) {
        if (!(context.getClientConfig() instanceof MqttClientConfig config)) {
            return null;
        }
        MqttClientConnectionConfig connection = config.getRawConnectionConfig();
        return connection == null ? null : connection.getChannel();
    }
}
