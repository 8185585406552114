package io.windrose.flink.connector.mqtt.sink;

import io.windrose.flink.connector.mqtt.common.MqttSinkOptions;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Publishes a stream's records to MQTT (Flink Sink V2). Writer n connects as {@code <client-id-prefix>-<n>} with a
 * clean session, through the connector's one connection factory (servers tried in turn, keep-alive, TLS,
 * credentials). At-least-once: before each checkpoint every publish sent so far is acknowledged (QoS 1 PUBACK, QoS 2
 * PUBCOMP; a QoS 0 publish once written), retried while it is not, so a checkpoint never covers a record the broker
 * has not taken; after a failure the records since the last checkpoint are published again. At-most-once: published
 * without waiting. The writer keeps no state. Made with {@link #builder()}.
 */
public final class MqttSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final MqttSinkOptions options;
    private final MqttRecordSerializationSchema<T> serializer;
    private final String metricGroup;

    MqttSink(MqttSinkOptions options, MqttRecordSerializationSchema<T> serializer, String metricGroup) {
        this.options = options;
        this.serializer = serializer;
        this.metricGroup = metricGroup;
    }

    public static <T> MqttSinkBuilder<T> builder() {
        return new MqttSinkBuilder<>();
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws java.io.IOException {
        try {
            serializer.open(context.asSerializationSchemaInitializationContext());
        } catch (Exception e) {
            throw new java.io.IOException("the MQTT sink's serialization schema failed to open", e);
        }
        return new MqttSinkWriter<>(options, serializer,
                options.clientIdPrefix() + "-" + context.getTaskInfo().getIndexOfThisSubtask(), context.metricGroup(),
                metricGroup);
    }

    /** The options the writers work from. */
    public MqttSinkOptions options() {
        return options;
    }
}
