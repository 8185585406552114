package io.windrose.mqtt.enumerator;

import io.windrose.mqtt.MqttConnectionOptions;
import io.windrose.mqtt.split.MqttSubscriptionSplit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every reader subtask one subscription split: all topic filters, shared ({@code $share/<group>/<filter>})
 * when the source runs with parallelism above 1, so no message reaches two readers.
 */
public final class MqttSubscriptionEnumerator implements SplitEnumerator<MqttSubscriptionSplit, MqttEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriptionEnumerator.class);

    private final MqttConnectionOptions options;
    private final SplitEnumeratorContext<MqttSubscriptionSplit> context;
    private final Set<Integer> assignedReaders;

    public MqttSubscriptionEnumerator(MqttConnectionOptions options, SplitEnumeratorContext<MqttSubscriptionSplit> context,
            MqttEnumeratorState restored) {
        this.options = options;
        this.context = context;
        this.assignedReaders = new HashSet<>(restored.assignedReaders());
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<MqttSubscriptionSplit> splits, int subtaskId) {
        // the reader failed before a checkpoint recorded its split: give it a split again when it comes back
        assignedReaders.remove(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        if (assignedReaders.add(subtaskId)) {
            MqttSubscriptionSplit split = splitFor(subtaskId, context.currentParallelism());
            LOG.info("Assigning {} to reader {}", split, subtaskId);
            context.assignSplit(split, subtaskId);
        }
    }

    MqttSubscriptionSplit splitFor(int subtaskId, int parallelism) {
        List<String> subscriptions = new ArrayList<>();
        for (String filter : options.topicFilters()) {
            subscriptions.add(parallelism > 1 && !filter.startsWith("$share/")
                    ? "$share/" + options.sharedGroup() + "/" + filter : filter);
        }
        return new MqttSubscriptionSplit(options.clientIdPrefix() + "-" + subtaskId, subscriptions);
    }

    @Override
    public MqttEnumeratorState snapshotState(long checkpointId) {
        return new MqttEnumeratorState(assignedReaders);
    }

    @Override
    public void close() {}
}
