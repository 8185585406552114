package io.windrose.sql;

import io.windrose.cli.Cli;
import io.windrose.cli.ClusterSubmission;
import io.windrose.cli.VersionProvider;
import io.windrose.sql.SqlScript.Statement;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

/**
 * {@code windrose sql FILE}: runs a Flink SQL script — {@code SET}, {@code CREATE TABLE}, {@code INSERT INTO},
 * {@code EXECUTE STATEMENT SET} — with the mqtt, influxdb and kafka connectors, in a mini-cluster of its own
 * ({@code java -jar}) until its jobs end or a signal stops them, or on the Flink cluster it was submitted to
 * ({@code flink run … windrose-job-cluster.jar sql FILE}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Runs a Flink SQL script: SET, CREATE TABLE, INSERT INTO, EXECUTE STATEMENT SET BEGIN ... END, with the"
                    + " mqtt, influxdb and kafka connectors and the json, csv, raw and avro formats.",
            "With java -jar its jobs run in a mini-cluster of their own (Web UI on a free port of 127.0.0.1, no"
                    + " metrics reporter: a Windrose job on the same machine keeps its ports), until they end or"
                    + " SIGTERM / Ctrl-C cancels them. Through flink run they are submitted to that Flink cluster.",
            "${NAME} and ${NAME:-default} in quoted strings are taken from the environment.",
            "",
            "  windrose sql local-cluster/examples/fan.sql",
            "  windrose sql --explain fan.sql              plan, print the plans, run nothing",
            "  flink run windrose-job-cluster.jar sql fan.sql",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:the jobs ended, or were stopped by a signal", "1:a job failed",
            "2:the script cannot run (a missing file, a SQL error, an unknown option, an unset variable)"})
public final class SqlCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SqlCommand.class);

    @Spec
    CommandSpec spec;

    @ParentCommand
    ClusterSubmission cluster;

    @Parameters(index = "0", paramLabel = "FILE", description = "The SQL script.")
    Path file;

    @Option(names = "--explain", description = "Plans the statements that would start jobs and prints their plans"
            + " (options and formats are checked, nothing connects); runs no job.")
    boolean explain;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SqlScript script;
        try {
            script = SqlScript.read(file, System::getenv);
        } catch (SqlScriptException e) {
            err.println("windrose sql: " + e.getMessage());
            err.flush();
            return Cli.USAGE;
        }
        return run(script, out, err);
    }

    /**
     * Plans {@code script} in a local environment as {@code windrose sql --explain} does: its plans to {@code out}, an
     * error naming the statement's line to {@code err}; returns the exit code.
     */
    public static int explain(SqlScript script, PrintWriter out, PrintWriter err) throws Exception {
        SqlCommand command = new SqlCommand();
        command.explain = true;
        return command.run(script, out, err);
    }

    private int run(SqlScript script, PrintWriter out, PrintWriter err) throws Exception {
        boolean onCluster = !(StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment);
        StreamExecutionEnvironment env = onCluster
                ? StreamExecutionEnvironment.getExecutionEnvironment()
                : StreamExecutionEnvironment.getExecutionEnvironment(SqlMiniCluster.options(script));
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        List<JobClient> jobs = new ArrayList<>();
        for (Statement statement : script.statements()) {
            try {
                if (statement.isSet()) {
                    Map.Entry<String, String> setting = statement.setting().orElseThrow(() -> new ValidationException(
                            "expected SET 'key' = 'value' (both quoted)"));
                    tables.getConfig().getConfiguration().setString(setting.getKey(), setting.getValue());
                    continue;
                }
                if (explain && statement.startsJob()) {
                    out.println("-- " + script.file() + ":" + statement.line());
                    print(tables.executeSql(statement.explain()), out);
                    continue;
                }
                TableResult result = tables.executeSql(statement.text());
                if (statement.isQuery()) {
                    print(result, out); // a SELECT's rows as they come: until it ends, or Ctrl-C
                } else if (result.getJobClient().isPresent()) {
                    JobClient job = result.getJobClient().get();
                    jobs.add(job);
                    out.println("job " + job.getJobID() + ": " + summary(statement));
                    out.flush();
                } else if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
                    print(result, out); // SHOW TABLES, DESCRIBE, ...
                }
            } catch (Exception e) {
                if (onCluster) {
                    cluster.failed(e);
                }
                err.println("windrose sql: " + script.file() + ":" + statement.line() + ": " + SqlErrors.describe(e));
                err.flush();
                cancel(jobs);
                return onCluster ? Cli.FAILED : Cli.USAGE;
            }
        }
        if (onCluster && !jobs.isEmpty()) {
            cluster.submitted();
            return env.getConfiguration().get(DeploymentOptions.ATTACHED) ? awaitOnCluster(jobs) : Cli.OK;
        }
        return await(jobs, err);
    }

    /** {@code flink run} without {@code -d}: waits for the jobs as {@code execute()} would, a failure for Flink to report. */
    private int awaitOnCluster(List<JobClient> jobs) {
        for (JobClient job : jobs) {
            try {
                job.getJobExecutionResult().get();
            } catch (Exception e) {
                cluster.failed(e);
                return Cli.FAILED;
            }
        }
        return Cli.OK;
    }

    /** The rows of a statement's result, one per line (a single column as it is: a plan, a table name). */
    private static void print(TableResult result, PrintWriter out) throws Exception {
        try (CloseableIterator<Row> rows = result.collect()) {
            while (rows.hasNext()) {
                Row row = rows.next();
                out.println(row.getArity() == 1 ? String.valueOf(row.getField(0)) : row.toString());
            }
        }
        out.flush();
    }

    /** Waits for the mini-cluster's jobs; a signal cancels them (the MQTT sessions keep what was not yet acked). */
    private static int await(List<JobClient> jobs, PrintWriter err) {
        if (jobs.isEmpty()) {
            return Cli.OK;
        }
        LOG.info("{} job(s) running in a mini-cluster; SIGTERM or Ctrl-C cancels them", jobs.size());
        AtomicBoolean stopping = new AtomicBoolean();
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                if (stopping.compareAndSet(false, true)) {
                    LOG.info("SIG{}: cancelling {} job(s)", s.getName(), jobs.size());
                    new Thread(() -> cancel(jobs), "windrose-sql-stop").start();
                }
            });
        }
        int exit = Cli.OK;
        for (JobClient job : jobs) {
            try {
                job.getJobExecutionResult().get();
            } catch (Exception e) {
                if (!stopping.get()) {
                    LOG.error("Job {} failed", job.getJobID(), e);
                    err.println("windrose sql: job " + job.getJobID() + " failed: " + SqlErrors.describe(e));
                    err.flush();
                    exit = Cli.FAILED;
                    cancel(jobs);
                }
            }
        }
        return exit;
    }

    private static void cancel(List<JobClient> jobs) {
        for (JobClient job : jobs) {
            JobID id = job.getJobID();
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Job {}: cancel: {}", id, e.toString()); // ended already
            }
        }
    }

    /** The statement's first line, shortened: which INSERT a job is. */
    private static String summary(Statement statement) {
        String first = statement.text().strip().lines().findFirst().orElse("");
        return first.length() > 100 ? first.substring(0, 97) + "..." : first;
    }
}
