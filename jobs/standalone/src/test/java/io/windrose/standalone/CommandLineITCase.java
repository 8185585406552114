package io.windrose.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code windrose} command line as users run it: {@code java -jar jobs/target/windrose-job.jar <command>} from the
 * repository's root, and the launcher {@code local-cluster/windrose} from elsewhere, each its own process — help and
 * version on stdout with exit 0, a pipeline file checked (exit 0) or refused naming file and key (exit 2, on stderr).
 */
class CommandLineITCase {
    private static final Path ROOT = Path.of(System.getProperty("windrose.root", "../..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    @Test
    void helpOfTheCommandLineAndOfRules() throws Exception {
        Result help = windrose("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: windrose ").contains("Commands:", "  run ", "  check ", "  consume ",
                "  rules ", "Exit codes:");
        assertThat(help.err()).isEmpty();

        Result rules = windrose("rules", "--help");
        assertThat(rules.exit()).isZero();
        assertThat(rules.out()).startsWith("Usage: windrose rules ").contains("  put ", "  delete ", "  list ",
                "--bootstrap-servers HOST:PORT", "--timeout DURATION");
        assertThat(rules.err()).isEmpty();
    }

    @Test
    void versionNamesWindroseFlinkAndTheCommit() throws Exception {
        Result version = windrose("--version");
        assertThat(version.exit()).isZero();
        List<String> lines = version.out().lines().toList();
        assertThat(lines.get(0)).startsWith("Windrose " + System.getProperty("windrose.version", "") + " (commit ")
                .matches("Windrose \\S+ \\(commit ([0-9a-f]{7,}(-dirty)?|unknown)\\)");
        assertThat(lines.get(1)).isEqualTo("Flink 2.2.1");
    }

    @Test
    void theShippedPipelineIsValid() throws Exception {
        Result check = windrose("check", "--config", "local-cluster/pipeline.yaml");
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).startsWith("windrose check: local-cluster/pipeline.yaml is valid: ")
                .contains("6 routes, 7 rules, window 10s (tiers 1m, 1h)");
        assertThat(check.out().lines()).hasSize(1);
    }

    @Test
    void aMisspeltKeyExitsWith2NamingTheFileAndTheKey() throws Exception {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                window:
                  sise: 10s
                """);
        Result check = windrose("check", "--config", file.toString());
        assertThat(check.exit()).isEqualTo(2);
        assertThat(check.out()).isEmpty();
        assertThat(check.err()).startsWith("windrose: configuration error in " + file + ": key 'window.sise': unknown key");
    }

    @Test
    void aUsageErrorExitsWith2WithAHint() throws Exception {
        Result unknown = windrose("chek", "--config", "local-cluster/pipeline.yaml");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.err()).contains("'chek'", "Try 'windrose --help' for more information.");
    }

    @Test
    void theLauncherWorksFromAnyDirectoryWithPathsRelativeToIt() throws Exception {
        // run in local-cluster/: the launcher finds the jar, the relative --config path stays the caller's
        Result check = run(ROOT.resolve("local-cluster"), List.of(ROOT.resolve("local-cluster/windrose").toString(),
                "check", "--config", "pipeline.yaml"));
        assertThat(check.exit()).as(check.err()).isZero();
        assertThat(check.out()).startsWith("windrose check: pipeline.yaml is valid: ");

        Result version = run(dir, List.of(ROOT.resolve("local-cluster/windrose").toString(), "-V"));
        assertThat(version.exit()).isZero();
        assertThat(version.out()).contains("Flink 2.2.1");
    }

    private Result windrose(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JobProcess.JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(ROOT, command);
    }

    private Result run(Path workDir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // the launcher's Kafka default must not come from a local stack's endpoints file here
        builder.environment().put("WINDROSE_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
