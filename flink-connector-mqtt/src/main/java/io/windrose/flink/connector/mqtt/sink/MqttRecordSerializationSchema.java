package io.windrose.flink.connector.mqtt.sink;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Turns each record of the stream into the message to publish: topic, payload, QoS, retain flag and MQTT 5
 * properties ({@link MqttOutgoingRecord}).
 */
@FunctionalInterface
public interface MqttRecordSerializationSchema<T> extends Serializable {

    /** Called once per writer before the first record (metrics, lookups). */
    default void open(SerializationSchema.InitializationContext context) throws Exception {}

    /** The message for {@code element}, or null to publish nothing for it. */
    MqttOutgoingRecord serialize(T element);
}
