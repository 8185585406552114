package io.windrose.flink.connector.mqtt.common;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.CLIENT_ID_PREFIX;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.DELIVERY_GUARANTEE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_MAX_IN_FLIGHT;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_MAX_RECORDS_PER_SECOND;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SINK_RETRY_TIMEOUT;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What the sink's writers work from: the connection, the client-id prefix, and what to promise. Built by
 * {@code MqttSinkBuilder} from validated {@link MqttConnectorOptions}.
 *
 * @param maxRecordsPerSecond the most publishes per second of one writer, or 0: unlimited
 */
public record MqttSinkOptions(
        MqttConnectionOptions connection,
        String clientIdPrefix,
        MqttDeliveryGuarantee deliveryGuarantee,
        Duration retryTimeout,
        int maxInFlight,
        int maxRecordsPerSecond) implements Serializable {

    /** The sink options of {@code config} (validated by {@link MqttConnectorOptions#validate}). */
    public static MqttSinkOptions from(ReadableConfig config, MqttOptionNames names) {
        return new MqttSinkOptions(MqttConnectionOptions.from(config, names), config.get(CLIENT_ID_PREFIX),
                config.get(DELIVERY_GUARANTEE), config.get(SINK_RETRY_TIMEOUT), config.get(SINK_MAX_IN_FLIGHT),
                config.getOptional(SINK_MAX_RECORDS_PER_SECOND).orElse(0));
    }

    public boolean atLeastOnce() {
        return deliveryGuarantee == MqttDeliveryGuarantee.AT_LEAST_ONCE;
    }

    /** What the user calls {@code option} (see {@link MqttOptionNames}). */
    public String name(ConfigOption<?> option) {
        return connection.name(option);
    }

    @Override
    public String toString() {
        return "MqttSinkOptions{" + connection + ", clientIdPrefix=" + clientIdPrefix + ", delivery=" + deliveryGuarantee
                + ", retryTimeout=" + retryTimeout + ", maxInFlight=" + maxInFlight + ", maxRecordsPerSecond="
                + (maxRecordsPerSecond == 0 ? "unlimited" : maxRecordsPerSecond) + "}";
    }
}
