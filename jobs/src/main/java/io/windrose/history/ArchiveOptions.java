package io.windrose.history;

import io.windrose.cli.DurationConverter;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.sink.KafkaSinkConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options of the commands that read the archive of readings (replay, backtest): the interval, the progress line. */
public final class ArchiveOptions {
    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Start of the interval: an ISO-8601 instant (2026-12-01T00:00:00Z) or epoch milliseconds.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the interval (exclusive).")
    String to;

    @Option(names = "--progress-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often the progress line is printed on stderr (default: 5s).")
    Duration progressEvery = Duration.ofSeconds(5);

    /** The interval asked for; {@link IllegalArgumentException} naming what is wrong with it. */
    Interval interval() {
        return new Interval(Interval.instant(from), Interval.instant(to));
    }

    /** Why {@code command} cannot read the pipeline's archive (named by its {@code file}), or null when it can. */
    static String missing(PipelineConfig config, Path file, String command) {
        KafkaSinkConfig kafka = config.sinks.kafka;
        return kafka.enabled && kafka.readingsTopic != null ? null : file + ": " + command + " reads the archive of"
                + " readings, which needs sinks.kafka on and sinks.kafka.readings-topic set";
    }

    /** The innermost cause of a failed job: what the user can act on. */
    static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
