package io.windrose.flink.connector.mqtt.source.reader.deserializer;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

/**
 * Turns a received MQTT message ({@link MqttRecord}: topic, payload, QoS, retained flag, MQTT 5 properties) into
 * zero or more records of the stream. Runs on the task thread; each record emitted carries the arrival time as its
 * timestamp. A message that yields no record is still acknowledged (at-least-once: with its checkpoint); an exception
 * fails the job, and the message comes back after the restart.
 */
public interface MqttDeserializationSchema<T> extends Serializable, ResultTypeQueryable<T> {

    /** Called once per reader before the first message, e.g. to register metrics. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    void deserialize(MqttRecord record, Collector<T> out) throws IOException;

    /** Only the payload, read by a Flink {@link DeserializationSchema} (e.g. {@code SimpleStringSchema}, a JSON format). */
    static <T> MqttDeserializationSchema<T> payload(DeserializationSchema<T> schema) {
        return new MqttDeserializationSchema<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public void open(DeserializationSchema.InitializationContext context) throws Exception {
                schema.open(context);
            }

            @Override
            public void deserialize(MqttRecord record, Collector<T> out) throws IOException {
                schema.deserialize(record.payload(), out);
            }

            @Override
            public TypeInformation<T> getProducedType() {
                return schema.getProducedType();
            }
        };
    }
}
