package io.windrose.standalone;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The standalone job's state directory (any Flink file system): {@code checkpoints/<job id>/chk-<n>/} as Flink writes
 * them (retained after a stop of any kind) and {@code savepoints/savepoint-*} from clean stops. A checkpoint or
 * savepoint counts once its {@code _metadata} file exists: Flink writes it last.
 */
public final class StateDirectory {
    private static final String METADATA = "_metadata";

    private final Path root;

    /** @param location a directory (made absolute) or a Flink file system URI such as {@code s3://bucket/windrose} */
    public StateDirectory(String location) {
        boolean uri = location.contains("://") || location.startsWith("file:");
        this.root = uri ? new Path(location) : Path.fromLocalFile(new File(location).getAbsoluteFile());
    }

    /** Where Flink writes checkpoints ({@code execution.checkpointing.dir}). */
    public String checkpoints() {
        return new Path(root, "checkpoints").toUri().toString();
    }

    /** Where clean stops write savepoints ({@code execution.checkpointing.savepoint-dir}). */
    public String savepoints() {
        return new Path(root, "savepoints").toUri().toString();
    }

    @Override
    public String toString() {
        return root.toString();
    }

    /** Every completed checkpoint and savepoint, oldest first. */
    public List<SavedState> saved() {
        List<SavedState> saved = new ArrayList<>();
        for (FileStatus savepoint : list(new Path(root, "savepoints"))) {
            metadata(savepoint.getPath()).ifPresent(time ->
                    saved.add(new SavedState(SavedState.Kind.SAVEPOINT, savepoint.getPath().toString(), time)));
        }
        for (FileStatus job : list(new Path(root, "checkpoints"))) {
            for (FileStatus checkpoint : list(job.getPath())) {
                if (checkpoint.getPath().getName().startsWith("chk-")) {
                    metadata(checkpoint.getPath()).ifPresent(time ->
                            saved.add(new SavedState(SavedState.Kind.CHECKPOINT, checkpoint.getPath().toString(), time)));
                }
            }
        }
        saved.sort(Comparator.comparing(SavedState::completed));
        return saved;
    }

    /** The most recently completed checkpoint or savepoint. */
    public Optional<SavedState> latest() {
        List<SavedState> saved = saved();
        return saved.isEmpty() ? Optional.empty() : Optional.of(saved.get(saved.size() - 1));
    }

    /**
     * Deletes what is older than {@code kept}: savepoints, and the checkpoint directories of earlier runs. A run
     * restores in Flink's NO_CLAIM mode (its first checkpoint is a full one), so nothing newer depends on them.
     *
     * @return what was deleted
     */
    public List<String> pruneOlderThan(SavedState kept) {
        List<String> deleted = new ArrayList<>();
        Path keptPath = new Path(kept.pointer());
        for (FileStatus savepoint : list(new Path(root, "savepoints"))) {
            if (!savepoint.getPath().equals(keptPath) && modified(savepoint.getPath()).isBefore(kept.completed())) {
                delete(savepoint.getPath(), deleted);
            }
        }
        for (FileStatus job : list(new Path(root, "checkpoints"))) {
            boolean holdsKept = keptPath.toString().startsWith(job.getPath().toString() + "/");
            if (!holdsKept && newest(job.getPath()).isBefore(kept.completed())) {
                delete(job.getPath(), deleted);
            }
        }
        return deleted;
    }

    /** Deletes every checkpoint and savepoint (start fresh). */
    public void drop() {
        for (String part : List.of("checkpoints", "savepoints")) {
            try {
                Path path = new Path(root, part);
                FileSystem fs = path.getFileSystem();
                if (fs.exists(path)) {
                    fs.delete(path, true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the saved state in " + root + ": " + e.getMessage(), e);
            }
        }
    }

    private Optional<Instant> metadata(Path dir) {
        try {
            Path metadata = new Path(dir, METADATA);
            FileSystem fs = metadata.getFileSystem();
            return fs.exists(metadata) ? Optional.of(Instant.ofEpochMilli(fs.getFileStatus(metadata).getModificationTime()))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Instant modified(Path path) {
        return metadata(path).orElseGet(() -> {
            try {
                return Instant.ofEpochMilli(path.getFileSystem().getFileStatus(path).getModificationTime());
            } catch (IOException e) {
                return Instant.MAX;
            }
        });
    }

    /** The newest metadata below a job's checkpoint directory (or the directory's own time when none completed). */
    private Instant newest(Path jobDir) {
        Instant newest = Instant.EPOCH;
        boolean any = false;
        for (FileStatus checkpoint : list(jobDir)) {
            Optional<Instant> time = metadata(checkpoint.getPath());
            if (time.isPresent()) {
                any = true;
                newest = time.get().isAfter(newest) ? time.get() : newest;
            }
        }
        return any ? newest : modified(jobDir);
    }

    private static List<FileStatus> list(Path dir) {
        try {
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir)) {
                return List.of();
            }
            FileStatus[] entries = fs.listStatus(dir);
            return entries == null ? List.of() : List.of(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path path, List<String> deleted) {
        try {
            path.getFileSystem().delete(path, true);
            deleted.add(path.toString());
        } catch (IOException e) {
            // left for the next start; the state restored from is not affected
        }
    }
}
