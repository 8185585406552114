package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's real entry point, in its own JVM: bad configuration stops it at start-up, naming file and key. */
class WindroseJobStartupTest {
    @TempDir
    Path dir;

    @Test
    void wrongKeyExitsNonZeroNamingTheFileAndTheKey() throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                window:
                  sise: 10s
                """);
        Result result = run("--config", file.toString());
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("configuration error").contains(file.toString()).contains("key 'window.sise'")
                .contains("expected one of [percentile-accuracy, session-gap, size, slide, stats, tier-measurement, tiers]");
    }

    @Test
    void missingConfigArgumentIsAUsageError() throws Exception {
        Result result = run();
        assertThat(result.exitCode).isEqualTo(2);
        assertThat(result.output).contains("Missing required option: '--config FILE'")
                .contains("Try 'windrose --help' for more information.");
    }

    @Test
    void helpExitsWith0() throws Exception {
        Result result = run("--help");
        assertThat(result.exitCode).isZero();
        assertThat(result.output).startsWith("Usage: windrose");
    }

    private record Result(int exitCode, String output) {}

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WindroseJob.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
