package io.windrose.standalone;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
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

/**
 * Before a resume: which operators of the saved state the new job graph has no place for. Flink would refuse the
 * restore naming only an operator id; this names the operator (its uid) and says whether losing its state matters.
 */
public final class RestoreCheck {
    /** Saved operator state the new pipeline cannot take. */
    public record Unclaimed(String operator, boolean harmless) {}

    private RestoreCheck() {}

    /**
     * @param harmless which operators' state may be dropped without losing data (by uid)
     * @return the operators with state that the new job graph does not have
     */
    public static List<Unclaimed> unclaimed(SavedState saved, JobGraph graph, Predicate<String> harmless)
            throws IOException {
        Set<OperatorID> operators = new HashSet<>();
        for (JobVertex vertex : graph.getVertices()) {
            for (OperatorIDPair ids : vertex.getOperatorIDs()) {
                operators.add(ids.getGeneratedOperatorID());
                ids.getUserDefinedOperatorID().ifPresent(operators::add);
            }
        }
        List<Unclaimed> unclaimed = new ArrayList<>();
        for (OperatorState state : load(saved).getOperatorStates()) {
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

    private static CheckpointMetadata load(SavedState saved) throws IOException {
        Path metadata = new Path(saved.pointer(), "_metadata");
        try (FSDataInputStream in = metadata.getFileSystem().open(metadata)) {
            return Checkpoints.loadCheckpointMetadata(new DataInputStream(in), RestoreCheck.class.getClassLoader(),
                    saved.pointer());
        }
    }
}
