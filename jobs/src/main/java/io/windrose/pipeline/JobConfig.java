package io.windrose.pipeline;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.RelativePath;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The {@code job} section: Flink job settings. */
public final class JobConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 3L;
    /** Where the standalone job keeps its state when job.state-dir is not set: this directory / job name. */
    public static final String STATE_ROOT_ENV = "WINDROSE_STATE_ROOT";

    public String name = "windrose";
    /**
     * Null: the parallelism the job is submitted with ({@code flink run -p}, REST {@code parallelism}, a
     * FlinkDeployment's {@code job.parallelism}, else {@code parallelism.default}); 1 for the standalone job.
     */
    public Integer parallelism;
    /** Also how often at-least-once MQTT acks go out: at most 65,535 un-acked messages per reader in between. */
    public Duration checkpointInterval = Duration.ofSeconds(2);
    /**
     * Standalone job ({@code java -jar}): checkpoints and savepoints, resumed from at the next start. A directory or any
     * Flink file system URI; relative to the pipeline file. Default: {@code windrose-state/<name>} under the working
     * directory (or {@code $WINDROSE_STATE_ROOT/<name>}). On a Flink cluster, Flink's own checkpoint settings apply.
     */
    @JsonDeserialize(using = RelativePath.class)
    public String stateDir;
    /** How long a clean stop (SIGTERM) waits for its savepoint before it cancels the job (state: the last checkpoint). */
    public Duration stopTimeout = Duration.ofMinutes(1);
    /** Passed to Flink's Configuration as they are (e.g. state.backend.type: rocksdb). */
    public Map<String, String> flinkConfig = new LinkedHashMap<>();

    /** The standalone job's state directory: as configured, else under the state root of the environment. */
    public String stateDirectory(Function<String, String> environment) {
        if (stateDir != null) {
            return stateDir;
        }
        String root = environment.apply(STATE_ROOT_ENV);
        Path base = root == null || root.isBlank() ? Path.of("windrose-state") : Path.of(root);
        return base.resolve(name).toAbsolutePath().normalize().toString();
    }

    @Override
    public void validate(ConfigCheck check) {
        check.require(name != null && name.matches("[A-Za-z0-9_.-]+"), "name",
                "expected a job name of letters, digits, '_', '-' or '.' (it also names the state directory)");
        check.require(parallelism == null || parallelism >= 1, "parallelism", "expected a whole number of at least 1");
        check.positive(checkpointInterval, "checkpoint-interval");
        check.require(stateDir == null || !stateDir.isBlank(), "state-dir", "expected a directory or a file system URI");
        check.positive(stopTimeout, "stop-timeout");
    }
}
