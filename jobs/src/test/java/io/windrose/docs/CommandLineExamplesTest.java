package io.windrose.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.config.ConfigException;
import io.windrose.pipeline.PipelineConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.apache.flink.client.cli.CliFrontendParser;
import org.apache.flink.client.cli.DefaultCLI;
import org.apache.flink.client.cli.GenericCLI;
import org.apache.flink.client.cli.ProgramOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command lines users copy from README.md, docs/ and deploy/ parse: {@code windrose …} (the launcher, or
 * {@code java -jar …windrose-job.jar}) with the job's own command line; {@code flink run …} with Flink's CLI parser,
 * whose program arguments — what follows the jar — must be Windrose's (Flink's options, such as {@code -p}, go before
 * the jar); and every {@code --set key=value} applies to a pipeline file.
 */
class CommandLineExamplesTest {
    private static final java.io.PrintWriter NOWHERE = new java.io.PrintWriter(java.io.Writer.nullWriter());

    @TempDir
    Path dir;

    @Test
    void everyCommandLineInTheDocsParses() throws Exception {
        Path base = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - {name: too-hot, field: temperature, above: 30}
                """);
        List<String> failures = new ArrayList<>();
        int windrose = 0;
        int flinkRun = 0;
        for (UserDocs.Block block : UserDocs.blocks()) {
            if (!List.of("bash", "sh", "shell", "console").contains(block.language())) {
                continue;
            }
            for (ShellLine line : ShellLine.of(block)) {
                List<String> words = line.words();
                try {
                    List<String> program = null;
                    if (words.size() >= 2 && words.get(0).equals("flink") && words.get(1).equals("run")) {
                        program = flinkRunProgramArguments(words.subList(2, words.size()));
                        flinkRun++;
                    } else if (words.size() >= 3 && words.get(0).equals("java") && words.get(1).equals("-jar")
                            && words.get(2).endsWith("windrose-job.jar")) {
                        program = words.subList(3, words.size());
                    } else if (!words.isEmpty() && (words.get(0).equals("windrose")
                            || words.get(0).endsWith("local-cluster/windrose"))) {
                        program = words.subList(1, words.size());
                    }
                    if (program != null) {
                        windrose++;
                        WindroseCommand.commandLine(new WindroseCommand(), NOWHERE, NOWHERE).parseArgs(program.toArray(String[]::new));
                    }
                    for (int i = 0; i + 1 < words.size(); i++) {
                        if (words.get(i).equals("--set")) {
                            new PipelineConfigLoader(name -> "x").load(base, List.of(words.get(i + 1)));
                        }
                    }
                } catch (picocli.CommandLine.ParameterException | ConfigException | AssertionError e) {
                    failures.add(line.where() + ": " + String.join(" ", words) + "\n    " + e.getMessage());
                }
            }
        }
        assertThat(failures).as("command lines in the docs that do not parse").isEmpty();
        assertThat(windrose).as("windrose command lines found").isGreaterThanOrEqualTo(5);
        assertThat(flinkRun).as("flink run lines found").isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFlinkOptionAfterTheJarReachesTheJobAndFails() throws Exception {
        List<String> program = flinkRunProgramArguments(List.of("-d", "-s", "file:///sp", "jobs/target/windrose-job-cluster.jar",
                "--config", "pipeline.yaml", "-p", "4"));
        assertThat(program).containsExactly("--config", "pipeline.yaml", "-p", "4");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WindroseCommand.commandLine(new WindroseCommand(), NOWHERE, NOWHERE)
                .parseArgs(program.toArray(String[]::new))).isInstanceOf(picocli.CommandLine.ParameterException.class)
                .hasMessageContaining("-p");
        assertThat(flinkRunProgramArguments(List.of("-d", "-p", "4", "-s", "file:///sp",
                "jobs/target/windrose-job-cluster.jar", "--config", "pipeline.yaml"))).containsExactly("--config",
                "pipeline.yaml");
    }

    /** What Flink's {@code flink run} hands the job: the arguments after the jar, parsed as Flink's CLI parses them. */
    private static List<String> flinkRunProgramArguments(List<String> args) throws Exception {
        Options options = CliFrontendParser.getRunCommandOptions();
        new DefaultCLI().addGeneralOptions(options);
        GenericCLI generic = new GenericCLI(new Configuration(), "conf");
        generic.addGeneralOptions(options);
        generic.addRunOptions(options);
        CommandLine parsed = CliFrontendParser.parse(options, args.toArray(String[]::new), true);
        ProgramOptions program = ProgramOptions.create(parsed);
        if (program.getJarFilePath() == null || !program.getJarFilePath().endsWith("windrose-job-cluster.jar")) {
            throw new AssertionError("flink run of " + program.getJarFilePath() + ": expected jobs/target/windrose-job-cluster.jar");
        }
        return List.of(program.getProgramArgs());
    }
}
