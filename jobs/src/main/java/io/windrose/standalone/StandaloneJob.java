package io.windrose.standalone;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.restore.RestoreCheck;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs the job in its own mini-cluster ({@code java -jar}) with durable state: checkpoints and savepoints go to the
 * state directory (retained when the job stops in any way); at start the job resumes from the newest completed
 * checkpoint or savepoint found there (or starts fresh, and says so); SIGTERM / SIGINT stop it with a savepoint.
 */
public final class StandaloneJob {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneJob.class);

    private final PipelineConfig config;
    private final StateDirectory state;

    public StandaloneJob(PipelineConfig config, Function<String, String> environment) {
        this.config = config;
        this.state = new StateDirectory(config.job.stateDirectory(environment));
    }

    /** Where checkpoints and savepoints go, unless the pipeline's flink-config says otherwise. */
    Configuration stateOptions() {
        Configuration options = new Configuration();
        options.setString("execution.checkpointing.dir", state.checkpoints());
        options.setString("execution.checkpointing.savepoint-dir", state.savepoints());
        options.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        return options;
    }

    /**
     * Resumes the job from the newest saved state unless {@code fresh}, runs it until it ends or a signal stops it, and
     * returns the exit code.
     *
     * @param environment an environment for the pipeline with these Flink options (which its flink-config may override)
     * @param pipeline adds the pipeline to an environment
     * @throws CannotResumeException when the saved state holds operators this pipeline has no place for
     */
    public int run(Function<Configuration, StreamExecutionEnvironment> environment,
            Consumer<StreamExecutionEnvironment> pipeline, boolean fresh) throws Exception {
        if (fresh) {
            state.drop();
            LOG.info("Starting fresh (--fresh): dropped the saved state in {}", state);
        }
        Configuration options = stateOptions();
        var latest = state.latest();
        if (latest.isEmpty()) {
            LOG.info("No saved state in {}: starting fresh", state);
        } else {
            SavedState saved = latest.get();
            StreamExecutionEnvironment probe = environment.apply(options);
            pipeline.accept(probe);
            List<RestoreCheck.Unclaimed> unclaimed = RestoreCheck.unclaimed(saved.pointer(),
                    probe.getStreamGraph().getJobGraph());
            List<String> lost = unclaimed.stream().filter(u -> !u.harmless()).map(RestoreCheck.Unclaimed::operator).toList();
            if (!lost.isEmpty()) {
                throw new CannotResumeException(saved, lost);
            }
            if (!unclaimed.isEmpty()) {
                LOG.warn("Resuming without the saved state of {}: this pipeline no longer has them (nothing a result"
                        + " depends on)", unclaimed.stream().map(RestoreCheck.Unclaimed::operator).toList());
            }
            // NO_CLAIM: the first checkpoint of this run is a full one, so older state can be deleted at the next start
            SavepointRestoreSettings.toConfiguration(SavepointRestoreSettings.forPath(saved.pointer(), !unclaimed.isEmpty(),
                    RecoveryClaimMode.NO_CLAIM), options);
            LOG.info("Resuming from {} in {}", saved, state);
            List<String> pruned = state.pruneOlderThan(saved);
            if (!pruned.isEmpty()) {
                LOG.info("Deleted {} older checkpoint/savepoint director{} in {}", pruned.size(),
                        pruned.size() == 1 ? "y" : "ies", state);
            }
        }
        StreamExecutionEnvironment env = environment.apply(options);
        pipeline.accept(env);
        JobClient job = env.executeAsync(config.job.name);
        AtomicBoolean stopping = new AtomicBoolean();
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                if (stopping.compareAndSet(false, true)) {
                    Thread stopper = new Thread(() -> stop(job, s.getName()), "windrose-stop");
                    stopper.start();
                }
            });
        }
        try {
            job.getJobExecutionResult().get();
            return 0;
        } catch (Exception e) {
            if (stopping.get()) {
                return 0;
            }
            LOG.error("The job failed", e);
            return 1;
        }
    }

    /** Stop with a savepoint (no drain), within the stop timeout; else cancel (the last checkpoint is retained). */
    private void stop(JobClient job, String signal) {
        long timeout = config.job.stopTimeout.toMillis();
        LOG.info("SIG{}: stopping the job with a savepoint in {} (at most {} s, job.stop-timeout)", signal,
                state.savepoints(), timeout / 1000);
        try {
            String savepoint = job.stopWithSavepoint(false, state.savepoints(), SavepointFormatType.CANONICAL)
                    .get(timeout, TimeUnit.MILLISECONDS);
            LOG.info("Stopped with savepoint {}; the next start resumes from it", savepoint);
        } catch (Exception e) {
            LOG.warn("The savepoint did not complete ({}); cancelling: the next start resumes from the last completed"
                    + " checkpoint, and the broker sends again what it had not acked", e.toString());
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception cancel) {
                LOG.warn("Cancelling did not complete either: {}", cancel.toString());
            }
        }
    }

    /** The saved state holds operators that this pipeline cannot take: resuming would lose or corrupt results. */
    public static final class CannotResumeException extends Exception {
        public CannotResumeException(SavedState saved, List<String> operators) {
            super("cannot resume from " + saved + ": it holds state of " + operators + ", which this pipeline does not"
                    + " have (a window-aggregates-<window> operator means window.size changed). Restore the settings"
                    + " the state was taken with, or start with --fresh (local-cluster/up --fresh) to drop the saved"
                    + " state");
        }
    }
}
