package io.windrose.flink.connector.mqtt.source.reader;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;

/**
 * The source reader of one subtask: one fetcher thread draining one {@link MqttSplitReader}. With at-least-once,
 * the acks of the messages emitted before a checkpoint barrier are sent when that checkpoint completes.
 */
public final class MqttSourceReader<T> extends
        SingleThreadMultiplexSourceReaderBase<ReceivedMessage, T, MqttSubscriptionSplit, MqttSubscriptionSplit> {
    private final CheckpointAcks acks;
    private final MqttReaderMetrics metrics;

    public MqttSourceReader(MqttSourceOptions options, MqttDeserializationSchema<T> deserializer,
            SourceReaderContext context) {
        this(options, deserializer, context, new CheckpointAcks());
    }

    private MqttSourceReader(MqttSourceOptions options, MqttDeserializationSchema<T> deserializer,
            SourceReaderContext context, CheckpointAcks acks) {
        this(options, deserializer, context, acks, new MqttReaderMetrics(context.metricGroup(), acks));
    }

    private MqttSourceReader(MqttSourceOptions options, MqttDeserializationSchema<T> deserializer,
            SourceReaderContext context, CheckpointAcks acks, MqttReaderMetrics metrics) {
        super(() -> new MqttSplitReader(options, metrics, acks), new MqttRecordEmitter<>(deserializer, acks, metrics),
                context.getConfiguration(), context);
        this.acks = acks;
        this.metrics = metrics;
    }

    /**
     * Acks wait for this checkpoint; the split is not kept: a restored reader is given one from the current
     * subscription and parallelism (see {@code MqttSubscriptionEnumerator}).
     */
    @Override
    public List<MqttSubscriptionSplit> snapshotState(long checkpointId) {
        acks.snapshot(checkpointId);
        super.snapshotState(checkpointId);
        return List.of();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        metrics.messagesAcked.inc(acks.complete(checkpointId));
        super.notifyCheckpointComplete(checkpointId);
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
