package io.windrose.history;

import io.windrose.alert.AlertRule;
import io.windrose.alert.Level;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleConfig;
import io.windrose.cli.Cli;
import io.windrose.cli.PipelineOptions;
import io.windrose.cli.VersionProvider;
import io.windrose.decode.Routes;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.AlertEvent;
import io.windrose.sink.KafkaSinkConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code windrose backtest}: candidate rules and the rules in effect over the archive's readings of an interval, side
 * by side, per rule and level. Nothing is written and no action runs.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Runs candidate rules, and the rules in effect, over the archived readings of an interval"
                    + " (sinks.kafka.readings-topic) as the live job would have, and prints per rule and level: raised"
                    + " and cleared, time in alert, the longest alert, flapping episodes, sensors affected, and the"
                    + " candidates' difference to the rules in effect. The rules in effect are the pipeline file's, or,"
                    + " with runtime rules on, the job's as its rules status topic says. Nothing is written, no action"
                    + " runs.",
            "",
            "  windrose backtest --config pipeline.yaml --rules candidate.yaml \\",
            "      --from 2026-12-01T00:00:00Z --to 2026-12-08T00:00:00Z",
            "  ... --json                  one JSON array on stdout, for machines",
            "  ... --timeline pump-7       also one sensor's transitions of both sets",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:backtested", "1:the backtest failed", "2:a usage or configuration error (of either file)",
            "3:Kafka could not be reached"})
public final class BacktestCommand implements Callable<Integer> {
    /** What runs the rule sets over the archive: the backtest job; tests give canned transitions. */
    @FunctionalInterface
    interface BacktestRunner {
        Map<String, List<AlertEvent>> run(PipelineConfig config, Map<String, RuleBook> sets, Interval interval)
                throws Exception;
    }

    static BacktestRunner runner = BacktestJob::run;

    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--rules", required = true, paramLabel = "FILE", description = "The candidate rules (YAML): one"
            + " rule, a list of rules, or a pipeline-style file with a rules: list (only its rules are read).")
    Path rules;

    @Mixin
    ArchiveOptions history;

    @Option(names = "--json", description = "Print one JSON array instead of the tables: an object per rule set, rule"
            + " and level.")
    boolean json;

    @Option(names = "--timeline", paramLabel = "SENSOR", description = "Also list this sensor's transitions of both"
            + " rule sets in time order.")
    String timeline;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PipelineConfig config = pipeline.load();
        Interval interval;
        try {
            interval = history.interval();
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        if (json && timeline != null) {
            return usage(err, "--timeline prints a table: use it without --json (whose stdout is the JSON array only)");
        }
        KafkaSinkConfig kafka = config.sinks.kafka;
        String missing = ArchiveOptions.missing(config, pipeline.file(), "backtest");
        if (missing != null) {
            return usage(err, missing);
        }
        String measurement = Routes.of(config.routes).get(0).measurement();
        CandidateRules.Read candidates = CandidateRules.read(rules);
        if (!candidates.ignoredKeys().isEmpty()) {
            err.println("backtest: " + rules + ": only its rules are read, not " + candidates.ignoredKeys()
                    + " (the pipeline is --config's)");
        }
        RuleBook candidateBook = CandidateRules.book(rules, candidates, measurement);
        EffectiveRules.Effective effective;
        try {
            effective = EffectiveRules.of(config, measurement, "backtest", err);
        } catch (Exception e) {
            err.println("windrose backtest: cannot read the rules in effect from " + config.runtimeRules.statusTopic
                    + " on " + kafka.bootstrapServers + ": " + e.getMessage());
            err.flush();
            return Cli.NO_ANSWER;
        }
        Map<String, RuleBook> sets = new LinkedHashMap<>();
        sets.put(BacktestReport.EFFECTIVE, effective.book());
        sets.put(BacktestReport.CANDIDATE, candidateBook);
        Map<String, Map<String, List<String>>> levels = new LinkedHashMap<>();
        levels.put(BacktestReport.EFFECTIVE, levels(effective.rules().values()));
        levels.put(BacktestReport.CANDIDATE, levels(candidates.rules()));
        if (!config.eventTime.allowedLateness.isZero() && sets.values().stream()
                .anyMatch(set -> set.effective(List.of()).stream().anyMatch(AlertRule::onWindows))) {
            err.println("backtest: on: window rules judge each window once; with an allowed lateness the live job also"
                    + " judged its early firings, so their transitions can differ from the live job's");
        }
        err.println("backtest: " + candidates.rules().size() + " candidate and " + effective.rules().size()
                + " effective rules over " + interval + " of " + kafka.readingsTopic);
        err.flush();
        Map<String, List<AlertEvent>> events;
        // the job runs in this JVM: its reader counts what it reads, a daemon prints it while the job runs
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "backtest-progress");
            thread.setDaemon(true);
            return thread;
        });
        Instant started = Instant.now();
        progress.scheduleAtFixedRate(() -> {
            err.println(ReplayProgress.readLine("backtest", Duration.between(started, Instant.now())));
            err.flush();
        }, history.progressEvery.toMillis(), history.progressEvery.toMillis(), TimeUnit.MILLISECONDS);
        try {
            events = runner.run(config, sets, interval);
        } catch (Exception e) {
            err.println("windrose backtest: the backtest failed: " + ArchiveOptions.rootCause(e));
            err.flush();
            return Cli.FAILED;
        } finally {
            progress.shutdownNow();
        }
        err.println(ReplayProgress.readLine("backtest", Duration.between(started, Instant.now())) + ", done");
        err.flush();
        BacktestReport report = BacktestReport.of(events, interval, levels);
        if (json) {
            out.println(report.json());
        } else {
            report.printText(out);
            if (timeline != null) {
                out.println();
                report.printTimeline(timeline, out);
            }
        }
        out.flush();
        return Cli.OK;
    }

    /** Each rule's levels: those its thresholds (an anomaly's sigmas) name, else its level. */
    static Map<String, List<String>> levels(Collection<RuleConfig> rules) {
        Map<String, List<String>> levels = new LinkedHashMap<>();
        for (RuleConfig rule : rules) {
            levels.put(rule.name, rule.levels().stream().map(Level::toString).toList());
        }
        return levels;
    }

    private static int usage(PrintWriter err, String message) {
        err.println("windrose backtest: " + message);
        err.flush();
        return Cli.USAGE;
    }
}
