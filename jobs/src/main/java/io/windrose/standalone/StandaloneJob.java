package io.windrose.standalone;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.restore.RestoreCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Safe by default: Flink's REST API / Web UI and the Prometheus reporter listen on 127.0.0.1, jar uploads are refused
 * (see {@link #defaults()}, {@link #boundReporters(Map)}); the pipeline's flink-config opts in to more.
 */
public final class StandaloneJob {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneJob.class);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String REPORTER_PREFIX = "metrics.reporter.";
    private static final String FACTORY_SUFFIX = ".factory.class";
    static final String FLINK_PROMETHEUS = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";
    static final String BOUND_PROMETHEUS = "io.windrose.metrics.BoundPrometheusReporterFactory";

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
     * The mini-cluster's Flink options that the pipeline's flink-config may override: where state goes, and safe by
     * default — Flink's REST API and Web UI, and the blob server, listen on 127.0.0.1 only and the REST API refuses jar
     * uploads (with uploads on, anyone who can reach the port can run code on this machine). A pipeline opts in with
     * {@code rest.bind-address: 0.0.0.0}, {@code web.submit.enable: "true"}.
     */
    Configuration defaults() {
        Configuration options = stateOptions();
        options.setString("rest.bind-address", LOOPBACK);
        options.setString("rest.address", LOOPBACK);
        options.setString("web.submit.enable", "false");
        // the mini-cluster's blob server (jars and artifacts of its jobs) would otherwise listen on every interface
        options.setString("jobmanager.bind-host", LOOPBACK);
        options.setString("taskmanager.bind-host", LOOPBACK);
        return options;
    }

    /**
     * What takes the place of Flink's Prometheus reporter in {@code flinkConfig}: for each reporter whose factory is
     * Flink's {@code PrometheusReporterFactory} (it listens on every interface and has no address option), Windrose's
     * {@code BoundPrometheusReporterFactory} — the same metrics, same port option, on
     * {@code metrics.reporter.<name>.host} (127.0.0.1 unless the pipeline says otherwise, e.g. 0.0.0.0).
     */
    static Map<String, String> boundReporters(Map<String, String> flinkConfig) {
        Map<String, String> replaced = new LinkedHashMap<>();
        flinkConfig.forEach((key, value) -> {
            if (key.startsWith(REPORTER_PREFIX) && key.endsWith(FACTORY_SUFFIX) && value.trim().equals(FLINK_PROMETHEUS)) {
                String name = key.substring(REPORTER_PREFIX.length(), key.length() - FACTORY_SUFFIX.length());
                replaced.put(key, BOUND_PROMETHEUS);
                String host = REPORTER_PREFIX + name + ".host";
                replaced.put(host, flinkConfig.getOrDefault(host, LOOPBACK));
            }
        });
        return replaced;
    }

    /** The environment with {@link #boundReporters} in place, when Windrose's reporter is on the class path. */
    private static StreamExecutionEnvironment withBoundReporters(StreamExecutionEnvironment env, boolean log) {
        Map<String, String> replaced = boundReporters(env.getConfiguration().toMap());
        if (replaced.isEmpty()) {
            return env;
        }
        try {
            Class.forName(BOUND_PROMETHEUS, false, StandaloneJob.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            if (log) {
                LOG.warn("{} is not on the class path: Flink's Prometheus reporter listens on every interface", BOUND_PROMETHEUS);
            }
            return env;
        }
        // only the reporter keys: configure() sets what the given options name and leaves the rest as it is
        env.configure(Configuration.fromMap(replaced));
        if (log) {
            replaced.forEach((key, value) -> {
                if (key.endsWith(".host")) {
                    String prefix = key.substring(0, key.length() - ".host".length());
                    LOG.info("Prometheus reporter '{}' on {}:{} ({}.host; Flink's PrometheusReporterFactory would listen"
                                    + " on every interface)", prefix.substring(REPORTER_PREFIX.length()), value,
                            env.getConfiguration().toMap().getOrDefault(prefix + ".port", "9249"), prefix);
                }
            });
        }
        return env;
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
        Configuration options = defaults();
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
        StreamExecutionEnvironment env = withBoundReporters(environment.apply(options), true);
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
