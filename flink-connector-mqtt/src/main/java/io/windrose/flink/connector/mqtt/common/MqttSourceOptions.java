package io.windrose.flink.connector.mqtt.common;

import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.CLIENT_ID_PREFIX;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.DELIVERY_GUARANTEE;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.HAND_OVER_LINGER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.MAX_UNACKED;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QOS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.QUEUE_CAPACITY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SESSION_EXPIRY;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.SHARED_SUBSCRIPTION;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.TOPICS;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_DISCONNECTED_AFTER;
import static io.windrose.flink.connector.mqtt.common.MqttConnectorOptions.WARN_IDLE_AFTER;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What the source's enumerator and readers work from: the connection, what to subscribe to, and what to promise.
 * Built by {@code MqttSourceBuilder} from validated {@link MqttConnectorOptions}; read through the record accessors.
 *
 * @param checkpointInterval the job's checkpoint interval, or null: only used to say what it means for throughput
 */
public record MqttSourceOptions(
        MqttConnectionOptions connection,
        String clientIdPrefix,
        int qos,
        MqttDeliveryGuarantee deliveryGuarantee,
        Duration sessionExpiry,
        List<String> topicFilters,
        boolean sharedSubscription,
        String sharedGroup,
        int queueCapacity,
        int maxUnacked,
        Duration handOverLinger,
        Duration disconnectedWarning,
        Duration idleWarning,
        Duration checkpointInterval) implements Serializable {

    /** How the connector names the job's checkpoint interval in its messages: Flink's own key. */
    public static final String CHECKPOINT_INTERVAL_KEY = CheckpointingOptions.CHECKPOINTING_INTERVAL.key();

    public MqttSourceOptions {
        topicFilters = List.copyOf(topicFilters);
    }

    /** The source options of {@code config} (validated by {@link MqttConnectorOptions#validateSource}). */
    public static MqttSourceOptions from(ReadableConfig config, MqttOptionNames names, Duration checkpointInterval) {
        return new MqttSourceOptions(MqttConnectionOptions.from(config, names), config.get(CLIENT_ID_PREFIX),
                config.get(QOS), config.get(DELIVERY_GUARANTEE), config.get(SESSION_EXPIRY), config.get(TOPICS),
                config.get(SHARED_SUBSCRIPTION), MqttConnectorOptions.sharedGroup(config), config.get(QUEUE_CAPACITY),
                config.get(MAX_UNACKED), config.get(HAND_OVER_LINGER), config.get(WARN_DISCONNECTED_AFTER),
                config.get(WARN_IDLE_AFTER), checkpointInterval);
    }

    public boolean atLeastOnce() {
        return deliveryGuarantee == MqttDeliveryGuarantee.AT_LEAST_ONCE;
    }

    /** Messages held between the client and Flink: with at-least-once every un-acked message may be queued. */
    public int handOverCapacity() {
        return atLeastOnce() ? maxUnacked : queueCapacity;
    }

    /** What the user calls {@code option} (see {@link MqttOptionNames}). */
    public String name(ConfigOption<?> option) {
        return connection.name(option);
    }

    @Override
    public String toString() {
        return "MqttSourceOptions{" + connection + ", clientIdPrefix=" + clientIdPrefix + ", qos=" + qos + ", delivery="
                + deliveryGuarantee + ", topicFilters=" + topicFilters + ", shared=" + sharedSubscription + "}";
    }
}
