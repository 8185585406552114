package io.windrose;

import io.windrose.cli.CheckCommand;
import io.windrose.cli.Cli;
import io.windrose.cli.ClusterSubmission;
import io.windrose.cli.PipelineOptions;
import io.windrose.cli.VersionProvider;
import io.windrose.consume.ConsumeCommand;
import io.windrose.history.BacktestCommand;
import io.windrose.history.ReplayCommand;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.restore.RestoreCheck;
import io.windrose.rules.AlertsCommand;
import io.windrose.rules.RulesCommand;
import io.windrose.sql.SqlCommand;
import io.windrose.standalone.StandaloneJob;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The {@code windrose} command line: {@code run} (the default), {@code check}, {@code consume}, {@code rules},
 * {@code alerts}, {@code sql}, {@code replay}, {@code backtest}. Without a
 * command it runs the job: {@code windrose --config F} is {@code windrose run --config F}, as {@code java -jar},
 * {@code flink run} and Flink's REST API pass it.
 */
@Command(name = "windrose", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        subcommands = {WindroseCommand.Run.class, CheckCommand.class, ConsumeCommand.class, RulesCommand.class,
            AlertsCommand.class, SqlCommand.class, ReplayCommand.class, BacktestCommand.class},
        description = {
            "Windrose: IoT telemetry on Apache Flink. The job reads sensor readings from MQTT, computes windows and"
                    + " alerts, and writes them to InfluxDB and Kafka, as a pipeline file describes. Without a"
                    + " command, windrose runs the job (windrose run).",
            "",
            "  windrose --config pipeline.yaml             run the job",
            "  windrose check --config pipeline.yaml       check a pipeline file",
            "  windrose consume --topic telemetry.alerts   print a topic's records",
            "  windrose rules list                         the rules in effect",
            "  windrose alerts list                        the alerts raised now (ack, shelve them)",
            "  windrose sql fan.sql                        run a Flink SQL script",
            "  windrose replay --config F --from T --to T  recompute the windows of an interval",
            "  windrose backtest --config F --rules R --from T --to T",
            "                                              candidate rules against the rules in effect",
            ""},
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:ok", "1:failed (the job failed, a rule was rejected)",
            "2:a usage or configuration error", "3:no answer in time"},
        footer = {"%nSee 'windrose COMMAND --help' for a command's options."})
public final class WindroseCommand implements Callable<Integer>, ClusterSubmission {
    private static final Logger LOG = LoggerFactory.getLogger(WindroseCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions options;

    /** The job was submitted to a Flink cluster and ran or runs there: main must not exit the JVM. */
    private boolean submitted;
    /** The job failed on a Flink cluster: main throws it on, for Flink to report. */
    private Exception clusterFailure;

    @Override
    public Integer call() throws Exception {
        return run(options);
    }

    @Override
    public void submitted() {
        submitted = true;
    }

    @Override
    public void failed(Exception failure) {
        submitted = true;
        clusterFailure = failure;
    }

    /** {@code run}'s and the default command's options. */
    static final class RunOptions {
        @Mixin
        PipelineOptions pipeline;

        @Option(names = "--fresh", description = "Standalone job: drops the saved state and starts fresh (on a Flink"
                + " cluster, submit without a savepoint instead).")
        boolean fresh;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            sortOptions = false,
            description = {
                "Runs the job of a pipeline file (the default command).",
                "With java -jar the job runs in its own mini-cluster: it resumes from its saved state (job.state-dir)"
                        + " and stops with a savepoint on SIGTERM. Through flink run or Flink's REST API it runs on that"
                        + " Flink cluster, with the cluster's checkpoint and savepoint settings.",
                "",
                "  windrose --config pipeline.yaml --set window.size=30s",
                "  flink run -c io.windrose.WindroseJob windrose-job-cluster.jar --config F",
                ""},
            exitCodeListHeading = Cli.EXIT_CODES_HEADING,
            exitCodeList = {"0:stopped (SIGTERM, with a savepoint)", "1:the job failed",
                "2:a usage or configuration error, or saved state this pipeline cannot resume from"})
    static final class Run implements Callable<Integer> {
        @ParentCommand
        WindroseCommand windrose;

        @Mixin
        RunOptions options;

        @Override
        public Integer call() throws Exception {
            return windrose.run(options);
        }
    }

    /** Loads the pipeline file, wires the stages and runs them: on the Flink cluster it was submitted to, or standalone. */
    private int run(RunOptions run) throws Exception {
        PipelineConfig config = run.pipeline.load();
        if (!(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment)) {
            // submitted to a Flink cluster (flink run, REST): Flink's own checkpoint and savepoint settings govern
            if (run.fresh) {
                LOG.warn("--fresh applies to the standalone job only: on a cluster, submit without a savepoint path");
            }
            submitted = true;
            try {
                StreamExecutionEnvironment env = WindroseJob.environment(config, new Configuration());
                WindroseJob.build(env, config);
                RestoreCheck.requireRestorable(env);
                env.execute(config.job.name);
            } catch (Exception e) {
                // as before the command line: thrown out of main, so that flink run and the REST API report it
                clusterFailure = e;
                return Cli.FAILED;
            }
            return Cli.OK;
        }
        StandaloneJob standalone = new StandaloneJob(config, System::getenv);
        try {
            return standalone.run(options -> WindroseJob.environment(config, options), env -> WindroseJob.build(env, config),
                    run.fresh);
        } catch (StandaloneJob.CannotResumeException e) {
            spec.commandLine().getErr().println("windrose: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return Cli.USAGE;
        }
    }

    /** The command line around {@code command}, printing to {@code out} and {@code err}. */
    public static CommandLine commandLine(WindroseCommand command, PrintWriter out, PrintWriter err) {
        return Cli.configure(new CommandLine(command), out, err);
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(new WindroseCommand(), out, err).execute(args);
    }

    /**
     * Runs the command line as {@code main} does; returns the exit code, or null when the job was submitted to a Flink
     * cluster and runs or ran there (then the JVM is not Windrose's to exit).
     *
     * @throws Exception the job's failure on a Flink cluster, for Flink to report
     */
    static Integer main(String... args) throws Exception {
        WindroseCommand command = new WindroseCommand();
        int exit = commandLine(command, new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
        if (command.clusterFailure != null) {
            throw command.clusterFailure;
        }
        return command.submitted && exit == Cli.OK ? null : exit;
    }
}
