package io.windrose.standalone;

import java.time.Instant;
import java.util.Locale;

/**
 * A completed checkpoint or savepoint in the state directory.
 *
 * @param pointer the directory holding its {@code _metadata} (what Flink restores from)
 * @param completed when its metadata was written
 */
public record SavedState(Kind kind, String pointer, Instant completed) {
    /** How the state was taken. */
    public enum Kind {
        /** Taken by a clean stop (stop-with-savepoint). */
        SAVEPOINT,
        /** Taken while the job ran; the last one is retained after a cancel, a failure or a kill. */
        CHECKPOINT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public String toString() {
        return kind + " " + pointer + " (completed " + completed + ")";
    }
}
