package io.windrose.mqtt.enumerator;

import io.windrose.mqtt.common.MqttConnectionOptions;
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
 * Gives every reader subtask one subscription split under a client id stable across restarts
 * ({@code <prefix>-<subtask>}). At parallelism above 1 no message may reach two readers: either every reader
 * subscribes to every filter as a shared subscription ({@code $share/<group>/<filter>}), or (shared subscriptions
 * off) the filters are dealt out over the readers, and readers left without a filter stay idle.
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
            MqttSubscriptionSplit split = splitFor(options, subtaskId, context.currentParallelism());
            if (split.subscriptions().isEmpty()) {
                LOG.info("Reader {} stays idle: {} topic filter(s) for {} readers and shared subscriptions are off",
                        subtaskId, options.topicFilters().size(), context.currentParallelism());
                return;
            }
            LOG.info("Assigning {} to reader {}", split, subtaskId);
            context.assignSplit(split, subtaskId);
        }
    }

    /** The split of reader {@code subtaskId} of {@code parallelism}. */
    public static MqttSubscriptionSplit splitFor(MqttConnectionOptions options, int subtaskId, int parallelism) {
        List<String> filters = options.topicFilters();
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            if (parallelism == 1 || filter.startsWith("$share/")) {
                subscriptions.add(filter);
            } else if (options.sharedSubscription()) {
                subscriptions.add("$share/" + options.sharedGroup() + "/" + filter);
            } else if (i % parallelism == subtaskId) {
                subscriptions.add(filter);
            }
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
