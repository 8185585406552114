package io.windrose.flink.connector.mqtt.source.enumerator;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
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
 *
 * <p>A split is computed from the current options and parallelism each time a reader registers (at start, after a
 * restore, after a failover): readers keep no split in their state, so a resumed job follows a changed list of topics,
 * client-id prefix or parallelism. The enumerator's state only remembers which readers the last run had, to warn when a
 * resumed job has fewer.
 */
public final class MqttSubscriptionEnumerator implements SplitEnumerator<MqttSubscriptionSplit, MqttEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSubscriptionEnumerator.class);

    private final MqttSourceOptions options;
    private final SplitEnumeratorContext<MqttSubscriptionSplit> context;
    private final Set<Integer> assignedReaders;

    private final Set<Integer> restoredReaders;

    public MqttSubscriptionEnumerator(MqttSourceOptions options, SplitEnumeratorContext<MqttSubscriptionSplit> context,
            MqttEnumeratorState restored) {
        this.options = options;
        this.context = context;
        this.assignedReaders = new HashSet<>();
        this.restoredReaders = restored.assignedReaders();
    }

    @Override
    public void start() {
        List<String> gone = clientIdsNoLongerUsed();
        if (!gone.isEmpty()) {
            LOG.warn("The resumed job has {} MQTT reader(s), the run it resumes had more: the broker keeps the sessions of"
                    + " {} (with what they hold and, for shared subscriptions, a share of new messages) until they"
                    + " expire ({})", context.currentParallelism(), gone,
                    options.name(MqttConnectorOptions.SESSION_EXPIRY));
        }
    }

    /** The client ids of readers the resumed run had and this one has not. */
    List<String> clientIdsNoLongerUsed() {
        return restoredReaders.stream().filter(reader -> reader >= context.currentParallelism()).sorted()
                .map(reader -> options.clientIdPrefix() + "-" + reader).toList();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<MqttSubscriptionSplit> splits, int subtaskId) {
        // nothing to keep: the reader's next attempt registers again and is given its split then
    }

    @Override
    public void addReader(int subtaskId) {
        // every registration is a new reader attempt without a split (readers do not keep theirs in state)
        assignedReaders.add(subtaskId);
        MqttSubscriptionSplit split = splitFor(options, subtaskId, context.currentParallelism());
        if (split.subscriptions().isEmpty()) {
            LOG.info("Reader {} stays idle: {} topic filter(s) for {} readers and shared subscriptions are off",
                    subtaskId, options.topicFilters().size(), context.currentParallelism());
            return;
        }
        LOG.info("Assigning {} to reader {}", split, subtaskId);
        context.assignSplit(split, subtaskId);
    }

    /** The split of reader {@code subtaskId} of {@code parallelism}. */
    public static MqttSubscriptionSplit splitFor(MqttSourceOptions options, int subtaskId, int parallelism) {
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
