package io.windrose.restore;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a restore: which operators of the saved state the new job graph has no place for. Flink would refuse the
 * restore naming only an operator id; this names the operator (its uid) and says whether losing its state matters.
 * Used by the standalone job before it resumes and by the job submitted to a cluster with a savepoint path.
 */
public final class RestoreCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreCheck.class);

    /**
     * Operators whose saved state may be dropped when the pipeline no longer has them: nothing a result depends on —
     * and the threshold-alerts operator of versions before the alert engine (its alerts are raised again once).
     */
    private static final Set<String> SAFE_TO_DROP_PREFIXES = Set.of("dedup", "influxdb-", "kafka-", "late-readings",
            "threshold-alerts", "window-alerts", "command-throttle", "mqtt-commands", "webhooks", "rules-topic",
            "expected-");

    /** Saved operator state the new pipeline cannot take. */
    public record Unclaimed(String operator, boolean harmless) {}

    private RestoreCheck() {}

    /**
     * @param pointer the checkpoint or savepoint directory (holding {@code _metadata})
     * @return the operators with state that the new job graph does not have
     */
    public static List<Unclaimed> unclaimed(String pointer, JobGraph graph) throws IOException {
        return unclaimed(pointer, graph, uid -> SAFE_TO_DROP_PREFIXES.stream().anyMatch(uid::startsWith));
    }

    /**
     * For a job submitted to a cluster ({@code flink run -s}, REST {@code savepointPath}): refuses a savepoint whose
     * state the job has no place for, naming the operators, unless the submission allows non-restored state.
     *
     * @throws IllegalStateException naming the operators whose state would be lost
     */
    public static void requireRestorable(StreamExecutionEnvironment env) {
        Optional<String> pointer = env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH);
        if (pointer.isEmpty()) {
            return;
        }
        List<Unclaimed> unclaimed;
        try {
            unclaimed = unclaimed(pointer.get(), env.getStreamGraph(false).getJobGraph());
        } catch (IOException e) {
            // a client without the savepoint's file system (s3 plugin): Flink still checks, by operator id
            LOG.warn("Could not read {} to check it before the restore ({}); Flink checks it when the job starts",
                    pointer.get(), e.toString());
            return;
        }
        boolean allowed = env.getConfiguration().get(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE);
        List<String> lost = unclaimed.stream().filter(u -> !u.harmless()).map(Unclaimed::operator).toList();
        List<String> all = unclaimed.stream().map(Unclaimed::operator).toList();
        if (!lost.isEmpty() && !allowed) {
            throw new IllegalStateException("cannot restore from " + pointer.get() + ": it holds state of " + lost
                    + ", which this pipeline does not have (a window-aggregates-<window> operator means window.size"
                    + " changed). Submit with the settings the savepoint was taken with, or without a savepoint to start"
                    + " fresh, or allow non-restored state (flink run --allowNonRestoredState; REST"
                    + " allowNonRestoredState=true; local-cluster/upgrade --allow-non-restored-state) to drop it");
        }
        if (!all.isEmpty() && !allowed) {
            throw new IllegalStateException("cannot restore from " + pointer.get() + " as is: it holds state of " + all
                    + ", which this pipeline no longer has (nothing a result depends on). Allow non-restored state"
                    + " (flink run --allowNonRestoredState; REST allowNonRestoredState=true; local-cluster/upgrade"
                    + " --allow-non-restored-state) to drop it");
        }
        if (!all.isEmpty()) {
            LOG.warn("Restoring from {} without the saved state of {} (non-restored state allowed){}", pointer.get(), all,
                    lost.isEmpty() ? "" : ": the state of " + lost + " is lost");
        }
    }

    static List<Unclaimed> unclaimed(String pointer, JobGraph graph, Predicate<String> harmless) throws IOException {
        Set<OperatorID> operators = new HashSet<>();
        for (JobVertex vertex : graph.getVertices()) {
            for (OperatorIDPair ids : vertex.getOperatorIDs()) {
                operators.add(ids.getGeneratedOperatorID());
                ids.getUserDefinedOperatorID().ifPresent(operators::add);
            }
        }
        List<Unclaimed> unclaimed = new ArrayList<>();
        for (OperatorState state : load(pointer).getOperatorStates()) {
            boolean hasState = state.getCoordinatorState() != null
                    || state.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
            if (hasState && !operators.contains(state.getOperatorID())) {
                String name = state.getOperatorUid().orElseGet(() -> state.getOperatorName()
                        .orElse("operator " + state.getOperatorID()));
                unclaimed.add(new Unclaimed(name, harmless.test(name)));
            }
        }
        return unclaimed;
    }

    private static CheckpointMetadata load(String pointer) throws IOException {
        Path metadata = new Path(pointer, "_metadata");
        try (FSDataInputStream in = metadata.getFileSystem().open(metadata)) {
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), RestoreCheck.class.getClassLoader(),
                    pointer);
        }
    }
}
