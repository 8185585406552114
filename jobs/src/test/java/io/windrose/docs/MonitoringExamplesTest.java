package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring examples of README.md, docs/ and deploy/ that need no running server work as written: every
 * {@code promtool} line and every {@code amtool} line that reads only files (not {@code --alertmanager.url}) of a
 * ```bash block runs from the repository root and exits 0; every ```yaml other block that starts with
 * {@code # prometheus.yml} passes {@code promtool check config}, with the rule files it names found in
 * {@code deploy/prometheus/} when it names {@code /etc/prometheus/windrose/}. The lines that talk to Alertmanager run
 * in {@code AlertmanagerITCase}.
 */
class MonitoringExamplesTest {
    private static final String COPY = "/etc/prometheus/windrose/";

    @TempDir
    Path dir;

    @Test
    void everyPromtoolAndOfflineAmtoolLineRuns() throws Exception {
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (UserDocs.Block block : UserDocs.blocks()) {
            if (!block.language().equals("bash")) {
                continue;
            }
            String[] lines = block.text().split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                boolean promtool = line.startsWith("promtool ");
                boolean amtool = line.startsWith("amtool ") && !line.contains("--alertmanager.url");
                if (!promtool && !amtool) {
                    continue;
                }
                ran++;
                Result result = bash(line, UserDocs.ROOT);
                if (result.exit() != 0) {
                    failures.add(UserDocs.ROOT.relativize(block.file()) + ":" + (block.line() + 1 + i) + ": " + line
                            + " exited " + result.exit() + ":\n" + result.output());
                }
            }
        }
        assertThat(failures).as("promtool and amtool lines of the docs that fail").isEmpty();
        assertThat(ran).as("promtool and amtool lines found").isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyPrometheusConfigurationPassesPromtool() throws Exception {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (UserDocs.Block block : UserDocs.blocks()) {
            if (!block.info().trim().equals("yaml other") || !block.text().startsWith("# prometheus.yml")) {
                continue;
            }
            checked++;
            String text = block.text().replace(COPY, UserDocs.ROOT.resolve("deploy/prometheus") + "/");
            Path file = Files.writeString(dir.resolve("prometheus-" + checked + ".yml"), text);
            Result result = bash("promtool check config " + file, dir);
            if (result.exit() != 0) {
                failures.add(block.where() + ": " + result.output());
            } else if (block.text().contains(COPY) && !result.output().contains("SUCCESS: 6 rules found")) {
                failures.add(block.where() + ": the rule files were not found: " + result.output());
            }
        }
        assertThat(failures).as("prometheus.yml examples promtool rejects").isEmpty();
        assertThat(checked).as("prometheus.yml examples found").isGreaterThanOrEqualTo(2);
    }

    private record Result(int exit, String output) {}

    private static Result bash(String command, Path workDir) throws Exception {
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", command).directory(workDir.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(killed after 60 s)");
        }
        return new Result(process.exitValue(), output);
    }
}
