package io.windrose.history;

import io.windrose.alert.AlertRule;
import io.windrose.alert.RuleBook;
import io.windrose.cli.Cli;
import io.windrose.cli.PipelineOptions;
import io.windrose.cli.SideJobCluster;
import io.windrose.cli.VersionProvider;
import io.windrose.decode.Routes;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.sink.KafkaSinkConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code windrose replay}: the pipeline's windows over the archive's readings of an interval, in a mini-cluster of its
 * own beside the live job, written over the live points (the same measurement, tags and time), or beside them.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Recomputes the pipeline's windows (and rollup tiers) over the archived readings of an interval"
                    + " (sinks.kafka.readings-topic) and writes them to InfluxDB: over the live points by default (the"
                    + " same readings and settings give the same values), or beside them. No action runs: no MQTT"
                    + " command, no webhook. The interval is widened to whole windows at both edges.",
            "",
            "  windrose replay --config pipeline.yaml --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z",
            "  windrose replay --config pipeline.yaml --from ... --to ... --set window.tiers=[1h] --measurement-suffix _bf",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:replayed", "1:the replay failed", "2:a usage or configuration error",
            "3:Kafka could not be reached"})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Mixin
    ArchiveOptions history;

    @Option(names = "--to-influxdb", description = "Write the windows to the pipeline's InfluxDB (the default unless"
            + " only --to-kafka is given).")
    boolean toInfluxdb;

    @Option(names = "--measurement-suffix", paramLabel = "SUFFIX",
            description = "Write to <measurement>SUFFIX instead of over the live points, to compare side by side.")
    String measurementSuffix;

    @Option(names = "--database", paramLabel = "NAME", description = "Write to this InfluxDB database (api v1) or"
            + " bucket (v2) of the same server instead.")
    String database;

    @Option(names = "--to-kafka", paramLabel = "TOPIC", description = "Also (or only) write the windows to this Kafka"
            + " topic (Avro SensorAggregate).")
    String kafkaTopic;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PipelineConfig config = pipeline.load();
        Interval asked;
        try {
            asked = history.interval();
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        KafkaSinkConfig kafka = config.sinks.kafka;
        String missing = ArchiveOptions.missing(config, pipeline.file(), "replay");
        if (missing != null) {
            return usage(err, missing);
        }
        boolean influxdb = toInfluxdb || measurementSuffix != null || database != null || kafkaTopic == null;
        if (influxdb && !config.sinks.influxdb.enabled) {
            return usage(err, pipeline.file() + ": sinks.influxdb is off: replay with --to-kafka TOPIC, or turn it on");
        }
        Interval interval = asked.widen(wholeWindows(config));
        if (!interval.equals(asked)) {
            err.println("replay: " + asked + " widened to whole windows: " + interval);
        }
        long total;
        long liveWatermark;
        RuleBook rules;
        try {
            rules = EffectiveRules.of(config, Routes.of(config.routes).get(0).measurement(), "replay", err).book();
            ArchiveSource archive = new ArchiveSource(kafka, ReplayJob.readInterval(config, interval,
                    ReplayJob.warmUp(config, rules)), ReplayJob.readMargin(config));
            total = archive.records();
            liveWatermark = archive.liveWatermark();
        } catch (Exception e) {
            err.println("windrose replay: cannot read the archive " + kafka.readingsTopic + " on " + kafka.bootstrapServers
                    + ": " + e.getMessage());
            err.flush();
            return Cli.NO_ANSWER;
        }

        Configuration options = SideJobCluster.options();
        options.setString("pipeline.generic-types", "false");
        options.setString("pipeline.object-reuse", "true");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(options);
        ReplayProgress.reset();
        ReplayOutputs written = new ReplayOutputs(influxdb, measurementSuffix == null ? "" : measurementSuffix, database,
                kafkaTopic);
        ReplayJob.build(env, config, rules, interval, written, liveWatermark);
        if (liveWatermark < interval.to().toEpochMilli() - 1) {
            err.println("replay: the live job's watermark is at " + (liveWatermark == Long.MIN_VALUE ? "none yet"
                    : Instant.ofEpochMilli(liveWatermark)) + ": windows ending after it may still be open there, and"
                    + " are not written");
        }
        if (!ReplayJob.windowRulesWritten(config, written)
                && rules.effective(List.of()).stream().anyMatch(AlertRule::onWindows)) {
            err.println("replay: the on: window rules' alerts are not written over the live points: with an allowed"
                    + " lateness the live job also judged early firings of its windows (write them beside with"
                    + " --measurement-suffix)");
        }
        Instant started = Instant.now();
        JobClient job = env.executeAsync("windrose replay " + interval);
        try {
            while (true) {
                try {
                    job.getJobExecutionResult().get(history.progressEvery.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillRunning) {
                    err.println(ReplayProgress.line(total, Duration.between(started, Instant.now())));
                    err.flush();
                }
            }
        } catch (Exception e) {
            err.println("windrose replay: the replay failed: " + ArchiveOptions.rootCause(e));
            err.flush();
            return Cli.FAILED;
        }
        ReplayProgress.summary(out, interval, Duration.between(started, Instant.now()));
        if (ReplayProgress.REPLAY_LATE.get() > 0) {
            err.println("windrose replay: " + ReplayProgress.REPLAY_LATE.get() + " readings the live job took arrived"
                    + " too late for the replay's own windows and are missing from them (the live job's subtasks'"
                    + " watermarks differed by more than " + ReplayJob.WATERMARK_MARGIN + ")");
            err.flush();
            return Cli.FAILED;
        }
        return Cli.OK;
    }

    /** The interval's unit: the largest window the pipeline writes (size, session gap or rollup tier). */
    static Duration wholeWindows(PipelineConfig config) {
        List<Duration> sizes = new ArrayList<>(config.window.tiers);
        sizes.add(config.window.sessionGap != null ? config.window.sessionGap : config.window.size);
        return sizes.stream().max(Duration::compareTo).orElseThrow();
    }

    private static int usage(PrintWriter err, String message) {
        err.println("windrose replay: " + message);
        err.flush();
        return Cli.USAGE;
    }
}
