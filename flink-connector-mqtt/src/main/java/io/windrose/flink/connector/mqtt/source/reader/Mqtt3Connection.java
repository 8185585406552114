package io.windrose.flink.connector.mqtt.source.reader;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscribe;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.Mqtt3Subscription;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.unsubscribe.Mqtt3Unsubscribe;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** MQTT 3.1.1: clean session off for at-least-once (the broker keeps it until its own expiry setting). */
final class Mqtt3Connection implements MqttConnection {
    private static final Set<Mqtt3ConnAckReturnCode> FINAL_REFUSALS = Set.of(
            Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, Mqtt3ConnAckReturnCode.NOT_AUTHORIZED,
            Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, Mqtt3ConnAckReturnCode.UNSUPPORTED_PROTOCOL_VERSION);

    private final Mqtt3AsyncClient client;
    private final MqttSourceOptions options;

    Mqtt3Connection(Mqtt3AsyncClient client, MqttSourceOptions options, Consumer<ReceivedMessage> sink) {
        this.client = client;
        this.options = options;
        boolean manualAck = options.atLeastOnce();
        client.publishes(MqttGlobalPublishFilter.ALL, publish -> sink.accept(new ReceivedMessage(new MqttRecord(
                publish.getTopic().toString(), publish.getPayloadAsBytes(), publish.getQos().getCode(), publish.isRetain(),
                System.currentTimeMillis()), manualAck ? publish::acknowledge : null)), Runnable::run, manualAck);
    }

    @Override
    public CompletableFuture<Boolean> connect(byte[] password) {
        var connect = client.connectWith()
                .cleanSession(!options.atLeastOnce())
                .keepAlive((int) options.connection().keepAlive().toSeconds());
        if (options.connection().username() != null) {
            connect = connect.simpleAuth().username(options.connection().username()).password(password).applySimpleAuth();
        }
        return connect.send().thenApply(ack -> ack.isSessionPresent());
    }

    @Override
    public CompletableFuture<List<String>> subscribe(List<String> filters, int qos) {
        List<Mqtt3Subscription> subscriptions = new ArrayList<>();
        for (String filter : filters) {
            subscriptions.add(Mqtt3Subscription.builder().topicFilter(filter).qos(MqttQos.fromCode(qos)).build());
        }
        return client.subscribe(Mqtt3Subscribe.builder().addSubscriptions(subscriptions).build()).thenApply(
                subAck -> MqttConnection.refused(filters, subAck.getReturnCodes(), Mqtt3SubAckReturnCode::isError));
    }

    @Override
    public CompletableFuture<Void> unsubscribe(List<String> filters) {
        return client.unsubscribe(Mqtt3Unsubscribe.builder().addTopicFilters(filters.stream().map(MqttTopicFilter::of))
                .build());
    }

    @Override
    public boolean sessionPresent(MqttClientConnectedContext context) {
        return context instanceof Mqtt3ClientConnectedContext mqtt3 && mqtt3.getConnAck().isSessionPresent();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return client.disconnect();
    }

    @Override
    public OptionalInt serverReceiveMaximum(MqttClientConnectedContext context) {
        return OptionalInt.empty();
    }

    @Override
    public Optional<String> refusal(Throwable cause) {
        if (cause instanceof Mqtt3ConnAckException refused
                && FINAL_REFUSALS.contains(refused.getMqttMessage().getReturnCode())) {
            return Optional.of(refused.getMqttMessage().getReturnCode().name());
        }
        return Optional.empty();
    }
}
