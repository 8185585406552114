package io.windrose.flink.connector.mqtt.sink;

import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import java.util.concurrent.CompletableFuture;

/** The part of the HiveMQ client that differs between MQTT 5 and 3.1.1 for a publisher: connect, publish, disconnect. */
interface MqttPublisher {

    static MqttPublisher create(MqttClientBuilder builder, MqttConnectionOptions options) {
        return options.protocolVersion() == MqttProtocolVersion.V5
                ? new V5(builder.useMqttVersion5().buildAsync(), options)
                : new V3(builder.useMqttVersion3().buildAsync(), options);
    }

    /** The first connection (clean session); later ones are the client's automatic reconnects. */
    CompletableFuture<?> connect(byte[] password);

    /** Completes when the broker acknowledged the publish (QoS 1/2) or it was written (QoS 0). */
    CompletableFuture<?> publish(MqttOutgoingRecord record);

    CompletableFuture<Void> disconnect();

    /** MQTT 5: the message with its properties. */
    final class V5 implements MqttPublisher {
        private final Mqtt5AsyncClient client;
        private final MqttConnectionOptions options;

        V5(Mqtt5AsyncClient client, MqttConnectionOptions options) {
            this.client = client;
            this.options = options;
        }

        @Override
        public CompletableFuture<?> connect(byte[] password) {
            var connect = client.connectWith().cleanStart(true).sessionExpiryInterval(0)
                    .keepAlive((int) options.keepAlive().toSeconds());
            if (options.username() != null) {
                connect = connect.simpleAuth().username(options.username()).password(password).applySimpleAuth();
            }
            return connect.send();
        }

        @Override
        public CompletableFuture<?> publish(MqttOutgoingRecord record) {
            return client.publish(message(record)).thenApply(result -> {
                if (result.getError().isPresent()) { // a PUBACK/PUBREC with an error reason code
                    throw new java.util.concurrent.CompletionException(result.getError().get());
                }
                return result;
            });
        }

        static Mqtt5Publish message(MqttOutgoingRecord record) {
            Mqtt5PublishBuilder.Complete publish = Mqtt5Publish.builder().topic(record.topic())
                    .qos(MqttQos.fromCode(record.qos())).retain(record.retain()).payload(record.payload());
            if (record.messageExpirySeconds().isPresent()) {
                publish = publish.messageExpiryInterval(record.messageExpirySeconds().getAsLong());
            }
            if (!record.userProperties().isEmpty()) {
                publish = publish.userProperties(Mqtt5UserProperties.of(record.userProperties().stream()
                        .map(p -> Mqtt5UserProperty.of(p.name(), p.value())).toList()));
            }
            if (record.responseTopic().isPresent()) {
                publish = publish.responseTopic(record.responseTopic().get());
            }
            if (record.correlationData().isPresent()) {
                publish = publish.correlationData(record.correlationData().get());
            }
            if (record.contentType().isPresent()) {
                publish = publish.contentType(record.contentType().get());
            }
            return publish.build();
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }
    }

    /** MQTT 3.1.1: topic, payload, QoS and retain; the MQTT 5 properties are not sent. */
    final class V3 implements MqttPublisher {
        private final Mqtt3AsyncClient client;
        private final MqttConnectionOptions options;

        V3(Mqtt3AsyncClient client, MqttConnectionOptions options) {
            this.client = client;
            this.options = options;
        }

        @Override
        public CompletableFuture<?> connect(byte[] password) {
            var connect = client.connectWith().cleanSession(true).keepAlive((int) options.keepAlive().toSeconds());
            if (options.username() != null) {
                connect = connect.simpleAuth().username(options.username()).password(password).applySimpleAuth();
            }
            return connect.send();
        }

        @Override
        public CompletableFuture<?> publish(MqttOutgoingRecord record) {
            return client.publishWith().topic(record.topic()).qos(MqttQos.fromCode(record.qos()))
                    .retain(record.retain()).payload(record.payload()).send();
        }

        @Override
        public CompletableFuture<Void> disconnect() {
            return client.disconnect();
        }
    }
}
