package io.windrose.mqtt;

import io.windrose.mqtt.common.MqttConnectionOptions;
import io.windrose.mqtt.common.MqttMessage;
import io.windrose.mqtt.enumerator.MqttEnumeratorState;
import io.windrose.mqtt.enumerator.MqttEnumeratorStateSerializer;
import io.windrose.mqtt.enumerator.MqttSubscriptionEnumerator;
import io.windrose.mqtt.reader.MqttSourceReader;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import io.windrose.mqtt.split.MqttSubscriptionSplitSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A FLIP-27 source reading MQTT topics with the HiveMQ client.
 *
 * <p>Each reader subtask owns one subscription split and one client ({@code <prefix>-<subtask>}); with parallelism
 * above 1 the filters are subscribed as shared subscriptions so the broker spreads messages across readers.
 */
public final class MqttSource
        implements Source<MqttMessage, MqttSubscriptionSplit, MqttEnumeratorState>, ResultTypeQueryable<MqttMessage> {
    private static final long serialVersionUID = 1L;

    private final MqttConnectionOptions options;

    MqttSource(MqttConnectionOptions options) {
        this.options = options;
    }

    public static MqttSourceBuilder builder() {
        return new MqttSourceBuilder();
    }

    public MqttConnectionOptions options() {
        return options;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<MqttMessage, MqttSubscriptionSplit> createReader(SourceReaderContext context) {
        return new MqttSourceReader(options, context);
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
    public TypeInformation<MqttMessage> getProducedType() {
        return TypeInformation.of(MqttMessage.class);
    }
}
