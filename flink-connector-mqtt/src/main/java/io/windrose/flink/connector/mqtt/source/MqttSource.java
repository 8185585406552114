package io.windrose.flink.connector.mqtt.source;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.enumerator.MqttEnumeratorState;
import io.windrose.flink.connector.mqtt.source.enumerator.MqttEnumeratorStateSerializer;
import io.windrose.flink.connector.mqtt.source.enumerator.MqttSubscriptionEnumerator;
import io.windrose.flink.connector.mqtt.source.reader.MqttSourceReader;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplitSerializer;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A FLIP-27 source reading MQTT topics with the HiveMQ client (MQTT 5 or 3.1.1), built with {@link #builder()}.
 *
 * <p>Each reader subtask owns one subscription split and one client ({@code <prefix>-<subtask>}); with parallelism
 * above 1 the filters are subscribed as shared subscriptions so the broker spreads messages across readers. With
 * at-least-once, messages are acked only once the checkpoint that covers them completes.
 *
 * <pre>{@code
 * MqttSource<String> source = MqttSource.<String>builder()
 *         .setServers(List.of("tcp://broker:1883"))
 *         .setTopics("sensors/#")
 *         .setClientIdPrefix("my-job")
 *         .setDeserializer(MqttDeserializationSchema.payload(new SimpleStringSchema()))
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "mqtt").uid("mqtt-source");
 * }</pre>
 */
public final class MqttSource<T>
        implements Source<T, MqttSubscriptionSplit, MqttEnumeratorState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final MqttSourceOptions options;
    private final MqttDeserializationSchema<T> deserializer;

    MqttSource(MqttSourceOptions options, MqttDeserializationSchema<T> deserializer) {
        this.options = options;
        this.deserializer = deserializer;
    }

    public static <T> MqttSourceBuilder<T> builder() {
        return new MqttSourceBuilder<>();
    }

    /** What the enumerator and readers work from (validated). */
    public MqttSourceOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, MqttSubscriptionSplit> createReader(SourceReaderContext context) throws Exception {
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup().addGroup("deserializer");
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });
        return new MqttSourceReader<>(options, deserializer, context);
    }

    @Override
    public SplitEnumerator<MqttSubscriptionSplit, MqttEnumeratorState> createEnumerator(
            SplitEnumeratorContext<MqttSubscriptionSplit> context) {
        return new MqttSubscriptionEnumerator(options, context, MqttEnumeratorState.empty());
    }

    @Override
    public SplitEnumerator<MqttSubscriptionSplit, MqttEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<MqttSubscriptionSplit> context, MqttEnumeratorState checkpoint) {
        return new MqttSubscriptionEnumerator(options, context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<MqttSubscriptionSplit> getSplitSerializer() {
        return new MqttSubscriptionSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<MqttEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new MqttEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }
}
