package io.windrose.action;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.CLIENT_ID_PREFIX;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_MAX_RECORDS_PER_SECOND;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_RETRY_TIMEOUT;

import io.windrose.action.state.MqttCommand;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.sink.MqttSink;
import io.windrose.mqtt.MqttSourceConfig;
import io.windrose.mqtt.MqttSources;
import java.util.Map;

/**
 * The MQTT commands' sink: the connector's {@link MqttSink} on the broker(s) of the {@code mqtt} section (its
 * servers with failover, protocol version, TLS, credentials, keep-alive and reconnect back-off), each writer as client
 * {@code <prefix>-<n>}, with {@link MqttCommandSchema}. Always at-least-once, whatever {@code mqtt.delivery} says for
 * the source: every publish is acknowledged (QoS 1/2) before a checkpoint completes, so a command whose alert change a
 * completed checkpoint covers is never sent again; after a failure the changes since the last checkpoint are made
 * again and their commands may go out a second time (commands are idempotent "set" payloads). A publish not
 * acknowledged is retried with back-off up to {@code actions.mqtt.retry-timeout}, then the job fails; at most
 * {@code actions.mqtt.max-per-second} per writer. Metrics {@code commands.sent}, {@code commands.failed} (failed
 * attempts). The writers keep no state.
 */
public final class MqttCommandSink {
    private MqttCommandSink() {}

    public static MqttSink<MqttCommand> create(MqttSourceConfig connection, ActionsConfig.Mqtt settings) {
        String prefix = settings.clientIdPrefix != null ? settings.clientIdPrefix : connection.clientIdPrefix + "-commands";
        return MqttSources.<MqttCommand>sinkBuilder(connection, Map.of(
                        SINK_RETRY_TIMEOUT, "actions.mqtt.retry-timeout",
                        SINK_MAX_RECORDS_PER_SECOND, "actions.mqtt.max-per-second",
                        CLIENT_ID_PREFIX, settings.clientIdPrefix != null ? "actions.mqtt.client-id-prefix"
                                : "mqtt.client-id-prefix"))
                .setClientIdPrefix(prefix)
                .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_LEAST_ONCE)
                .setRetryTimeout(settings.retryTimeout)
                .setMaxRecordsPerSecond(settings.maxPerSecond)
                .setMetricGroup("commands")
                .setSerializationSchema(new MqttCommandSchema())
                .build();
    }
}
