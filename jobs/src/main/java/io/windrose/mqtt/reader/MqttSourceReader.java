package io.windrose.mqtt.reader;

import io.windrose.mqtt.MqttConnectionOptions;
import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/** The source reader of one subtask: one fetcher thread draining one {@link MqttSplitReader}. */
public final class MqttSourceReader
        extends SingleThreadMultiplexSourceReaderBase<MqttMessage, MqttMessage, MqttSubscriptionSplit, MqttSubscriptionSplit> {

    public MqttSourceReader(MqttConnectionOptions options, SourceReaderContext context) {
        super(() -> new MqttSplitReader(options, context.metricGroup().addGroup("mqtt")), new MqttRecordEmitter(),
                context.getConfiguration(), context);
    }

    @Override
    protected void onSplitFinished(Map<String, MqttSubscriptionSplit> finishedSplitIds) {}

    @Override
    protected MqttSubscriptionSplit initializedState(MqttSubscriptionSplit split) {
        return split;
    }

    @Override
    protected MqttSubscriptionSplit toSplitType(String splitId, MqttSubscriptionSplit state) {
        return state;
    }
}
