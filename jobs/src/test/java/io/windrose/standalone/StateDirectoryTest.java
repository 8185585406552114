package io.windrose.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state directory's layout as Flink writes it: what counts as completed, which is newest, what is pruned. */
class StateDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void theNewestCompletedCheckpointOrSavepointIsChosen() throws IOException {
        StateDirectory state = new StateDirectory(dir.toString());
        assertThat(state.latest()).isEmpty();
        metadata("checkpoints/job-a/chk-3", 1_000);
        metadata("savepoints/savepoint-a-1", 2_000);
        metadata("checkpoints/job-b/chk-7", 3_000);
        Files.createDirectories(dir.resolve("checkpoints/job-b/chk-8")); // in progress at a kill: no _metadata
        assertThat(state.latest()).get().extracting(SavedState::kind, s -> Path.of(s.pointer()).getFileName().toString())
                .containsExactly(SavedState.Kind.CHECKPOINT, "chk-7");
        metadata("savepoints/savepoint-b-2", 4_000);
        assertThat(state.latest().get().kind()).isEqualTo(SavedState.Kind.SAVEPOINT);
        assertThat(state.saved()).hasSize(4);
    }

    @Test
    void pruningKeepsWhatIsRestoredFromAndAnythingNewer() throws IOException {
        StateDirectory state = new StateDirectory(dir.toString());
        metadata("checkpoints/job-a/chk-3", 1_000);
        metadata("savepoints/savepoint-a-1", 2_000);
        metadata("checkpoints/job-b/chk-7", 3_000);
        SavedState kept = state.latest().orElseThrow();
        assertThat(state.pruneOlderThan(kept)).hasSize(2);
        assertThat(dir.resolve("checkpoints/job-b/chk-7/_metadata")).exists();
        assertThat(dir.resolve("checkpoints/job-a")).doesNotExist();
        assertThat(dir.resolve("savepoints/savepoint-a-1")).doesNotExist();
        assertThat(state.saved()).containsExactly(kept);
    }

    @Test
    void dropDeletesAllSavedState() throws IOException {
        StateDirectory state = new StateDirectory(dir.toString());
        metadata("checkpoints/job-a/chk-3", 1_000);
        metadata("savepoints/savepoint-a-1", 2_000);
        state.drop();
        assertThat(state.latest()).isEmpty();
        assertThat(dir.resolve("checkpoints")).doesNotExist();
        state.drop(); // nothing there: no error
    }

    private void metadata(String checkpoint, long epochSecond) throws IOException {
        Path file = Files.createDirectories(dir.resolve(checkpoint)).resolve("_metadata");
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
    }
}
