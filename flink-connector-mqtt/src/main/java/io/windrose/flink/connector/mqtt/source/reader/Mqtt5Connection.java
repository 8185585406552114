package io.windrose.flink.connector.mqtt.source.reader;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConnectionConfig;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.unsubscribe.Mqtt5Unsubscribe;
import io.windrose.flink.connector.mqtt.common.MqttConnectionOptions;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** MQTT 5: clean start off and a session expiry for at-least-once; Receive Maximum 65,535 asked of the server. */
final class Mqtt5Connection implements MqttConnection {
    private static final Set<Mqtt5ConnAckReasonCode> FINAL_REFUSALS = Set.of(
            Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED,
            Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID, Mqtt5ConnAckReasonCode.BANNED,
            Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD, Mqtt5ConnAckReasonCode.UNSUPPORTED_PROTOCOL_VERSION);

    private final Mqtt5AsyncClient client;
    private final MqttSourceOptions options;

    Mqtt5Connection(Mqtt5AsyncClient client, MqttSourceOptions options, Consumer<ReceivedMessage> sink) {
        this.client = client;
        this.options = options;
        boolean manualAck = options.atLeastOnce();
        // runs on the client's network thread: a full hand-over stops socket reads (see MqttSplitReader)
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> sink.accept(new ReceivedMessage(record(publish),
                manualAck ? publish::acknowledge : null)), Runnable::run, manualAck);
    }

    /** The message with its MQTT 5 properties (nothing is copied or made for properties that are absent). */
    static MqttRecord record(Mqtt5Publish publish) {
        List<? extends Mqtt5UserProperty> properties = publish.getUserProperties().asList();
        List<MqttRecord.UserProperty> userProperties = List.of();
        if (!properties.isEmpty()) {
            userProperties = new ArrayList<>(properties.size());
            for (Mqtt5UserProperty property : properties) {
                userProperties.add(new MqttRecord.UserProperty(property.getName().toString(),
                        property.getValue().toString()));
            }
        }
        return new MqttRecord(publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.getQos().getCode(),
                publish.isRetain(), System.currentTimeMillis(), userProperties,
                publish.getContentType().map(Object::toString).orElse(null),
                publish.getCorrelationData().map(Mqtt5Connection::bytes).orElse(null),
                publish.getResponseTopic().map(Object::toString).orElse(null));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public CompletableFuture<Boolean> connect(byte[] password) {
        boolean persistent = options.atLeastOnce();
        var connect = client.connectWith()
                .cleanStart(!persistent)
                .sessionExpiryInterval(persistent ? options.sessionExpiry().toSeconds() : 0)
                .keepAlive((int) options.connection().keepAlive().toSeconds())
                .restrictions().receiveMaximum(MqttConnectionOptions.MAX_RECEIVE_MAXIMUM).applyRestrictions();
        if (options.connection().username() != null) {
            connect = connect.simpleAuth().username(options.connection().username()).password(password).applySimpleAuth();
        }
        return connect.send().thenApply(ack -> ack.isSessionPresent());
    }

    @Override
    public CompletableFuture<List<String>> subscribe(List<String> filters, int qos) {
        List<Mqtt5Subscription> subscriptions = new ArrayList<>();
        for (String filter : filters) {
            // retained messages only when the subscription is new, not again at every restart of a resumed session
            subscriptions.add(Mqtt5Subscription.builder().topicFilter(filter).qos(MqttQos.fromCode(qos))
                    .retainHandling(Mqtt5RetainHandling.SEND_IF_SUBSCRIPTION_DOES_NOT_EXIST).build());
        }
        return client.subscribe(Mqtt5Subscribe.builder().addSubscriptions(subscriptions).build()).thenApply(
                subAck -> MqttConnection.refused(filters, subAck.getReasonCodes(), Mqtt5SubAckReasonCode::isError));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(List<String> filters) {
        return client.unsubscribe(Mqtt5Unsubscribe.builder().addTopicFilters(filters.stream().map(MqttTopicFilter::of))
                .build()).thenApply(unsubAck -> null);
    }

    @Override
    public boolean sessionPresent(MqttClientConnectedContext context) {
        return context instanceof Mqtt5ClientConnectedContext mqtt5 && mqtt5.getConnAck().isSessionPresent();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    @Override
    public OptionalInt serverReceiveMaximum(MqttClientConnectedContext context) {
        // the client sends at most min(its own send maximum, 65,535 by default; the server's Receive Maximum from CONNACK)
        return context.getClientConfig().getConnectionConfig()
                .filter(Mqtt5ClientConnectionConfig.class::isInstance)
                .map(config -> OptionalInt.of(((Mqtt5ClientConnectionConfig) config).getRestrictionsForClient()
                        .getSendMaximum()))
                .orElse(OptionalInt.empty());
    }

    @Override
    public Optional<String> refusal(Throwable cause) {
        if (cause instanceof Mqtt5ConnAckException refused
                && FINAL_REFUSALS.contains(refused.getMqttMessage().getReasonCode())) {
            return Optional.of(refused.getMqttMessage().getReasonCode().name()
                    + refused.getMqttMessage().getReasonString().map(reason -> " (" + reason + ")").orElse(""));
        }
        return Optional.empty();
    }
}
