package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code windrose replay} refuses before it starts anything. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int replay(String kafka, String... args) throws Exception {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                sinks:
                  kafka: %s
                """.formatted(kafka));
        String[] command = new String[args.length + 3];
        command[0] = "replay";
        command[1] = "--config";
        command[2] = file.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        return WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), command);
    }

    @Test
    void withoutAnArchiveThereIsNothingToReplay() throws Exception {
        assertThat(replay("{readings-topic: null}", "--from", "0", "--to", "60000")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("needs sinks.kafka on and sinks.kafka.readings-topic set");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anIntervalMustBeInstantsInOrder() throws Exception {
        assertThat(replay("{}", "--from", "yesterday", "--to", "60000")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("expected an ISO-8601 instant", "'yesterday'");
        assertThat(replay("{}", "--from", "2026-12-02T00:00:00Z", "--to", "2026-12-01T00:00:00Z")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("must be before --to");
    }

    @Test
    void fromAndToAreRequired() throws Exception {
        assertThat(replay("{}", "--from", "0")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--to");
    }
}
