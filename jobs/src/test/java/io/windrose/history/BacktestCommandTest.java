package io.windrose.history;

import static io.windrose.history.BacktestEvents.cleared;
import static io.windrose.history.BacktestEvents.raised;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.WindroseCommand;
import io.windrose.alert.AlertRule;
import io.windrose.alert.RuleBook;
import io.windrose.cli.Cli;
import io.windrose.schema.AlertEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code windrose backtest}'s parsing, what it hands the backtest job and how it prints, with canned transitions. */
class BacktestCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Map<String, List<String>>> handedOver = new ArrayList<>();
    private final List<Interval> intervals = new ArrayList<>();

    @BeforeEach
    void cannedTransitions() {
        BacktestCommand.runner = (config, sets, interval) -> {
            Map<String, List<String>> names = new LinkedHashMap<>();
            sets.forEach((set, book) -> names.put(set, book.effective(List.of()).stream().map(AlertRule::name).toList()));
            handedOver.add(names);
            intervals.add(interval);
            Map<String, List<AlertEvent>> events = new LinkedHashMap<>();
            events.put("effective", List.of(raised("too-hot", "pump-7", "warning", 1, 31),
                    cleared("too-hot", "pump-7", "warning", 11, 29)));
            events.put("candidate", List.of(raised("too-hot", "pump-7", "warning", 2, 33),
                    raised("too-hot", "pump-8", "warning", 3, 34)));
            return events;
        };
    }

    @AfterEach
    void realJob() {
        BacktestCommand.runner = BacktestJob::run;
    }

    /** A backtest of a pipeline file with {@code sections} (YAML) after its routes and rules. */
    private int backtest(String sections, String... args) throws Exception {
        Path pipeline = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - {name: too-hot, field: temperature, above: 30}
                  - {name: too-cold, field: temperature, below: 2}
                %s
                """.formatted(sections));
        Files.writeString(dir.resolve("candidate.yaml"), """
                name: too-hot
                field: temperature
                above: 32
                """);
        List<String> command = new ArrayList<>(List.of("backtest", "--config", pipeline.toString(), "--rules",
                dir.resolve("candidate.yaml").toString()));
        command.addAll(List.of(args));
        return WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                command.toArray(String[]::new));
    }

    /** Runtime rules off: no Kafka needed to know the rules in effect. */
    private static final String NO_RUNTIME_RULES = "runtime-rules: {topic: null}";

    @Test
    void printsATablePerSetAndTellsWhichRulesAreInEffect() throws Exception {
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "2026-12-01T00:00:00Z", "--to", "2026-12-01T01:00:00Z"))
                .isEqualTo(Cli.OK);
        assertThat(handedOver).containsExactly(Map.of("effective", List.of("too-hot", "too-cold"),
                "candidate", List.of("too-hot")));
        assertThat(intervals.get(0).toString()).isEqualTo("[2026-12-01T00:00:00Z, 2026-12-01T01:00:00Z)");
        assertThat(out.toString()).contains("effective rules, ", "candidate rules, ", "too-cold", "vs effective");
        assertThat(err.toString()).contains("rules in effect: the pipeline file's (runtime rules are off:"
                + " runtime-rules.topic is null)");
    }

    @Test
    void jsonStdoutIsOnlyOneJsonArray() throws Exception {
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "0", "--to", "3600000", "--json")).isEqualTo(Cli.OK);
        JsonNode array = new ObjectMapper().readTree(out.toString()); // fails on anything after the array
        assertThat(array.isArray()).isTrue();
        assertThat(array).extracting(row -> row.path("set").asText() + " " + row.path("rule").asText() + " "
                + row.path("level").asText() + " " + row.path("raised").asLong())
                .containsExactly("effective too-hot warning 1", "effective too-cold warning 0",
                        "candidate too-hot warning 2");
        assertThat(out.toString().strip()).startsWith("[").endsWith("]");
        assertThat(err.toString()).contains("backtest: ");
    }

    @Test
    void timelineListsOneSensorsTransitionsOfBothSets() throws Exception {
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "0", "--to", "3600000", "--timeline", "pump-7"))
                .isEqualTo(Cli.OK);
        String timeline = out.toString().substring(out.toString().indexOf("timeline of pump-7"));
        assertThat(timeline.lines().skip(2).map(l -> l.trim().split("\\s+")[1]))
                .containsExactly("effective", "candidate", "effective");
        assertThat(timeline).doesNotContain("pump-8");
    }

    @Test
    void usageErrorsNameTheFileAndTheKey() throws Exception {
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "yesterday", "--to", "0")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("expected an ISO-8601 instant", "'yesterday'");
        assertThat(backtest("sinks: {kafka: {readings-topic: null}}", "--from", "0", "--to", "60000"))
                .isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("pipeline.yaml", "needs sinks.kafka on and sinks.kafka.readings-topic set");
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "0", "--to", "60000", "--json", "--timeline", "p"))
                .isEqualTo(Cli.USAGE);
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "0")).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("--to");
        assertThat(handedOver).isEmpty();
        assertThat(out.toString()).isEmpty();

        Files.writeString(dir.resolve("bad.yaml"), "- {name: hot, field: temperature, above: 30}\n"
                + "- {name: cold, field: temperature, below: warm}\n");
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "backtest", "--config",
                dir.resolve("pipeline.yaml").toString(), "--rules", dir.resolve("bad.yaml").toString(), "--from", "0",
                "--to", "60000");
        assertThat(exit).isEqualTo(Cli.USAGE);
        assertThat(err.toString()).contains("bad.yaml", "key '[1].below'");
        assertThat(handedOver).isEmpty();
    }

    @Test
    void aFailedBacktestIsExitOne() throws Exception {
        BacktestCommand.runner = (config, sets, interval) -> {
            throw new IllegalStateException("boom", new java.io.IOException("archive gone"));
        };
        assertThat(backtest(NO_RUNTIME_RULES, "--from", "0", "--to", "60000")).isEqualTo(Cli.FAILED);
        assertThat(err.toString()).contains("the backtest failed", "archive gone");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void helpReadsWell() {
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), "backtest", "--help");
        assertThat(exit).isEqualTo(Cli.OK);
        assertThat(out.toString()).contains("--rules FILE", "--from TIME", "--to TIME", "--json", "--timeline SENSOR",
                "--config FILE", "--set KEY=VALUE", "Exit codes:");
    }

    @Test
    void ruleBookOfTheCandidatesIsWhatTheJobCompiles() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "- {name: a, field: t, above: 1}\n- {name: b, after: 1m}\n");
        RuleBook book = CandidateRules.of(file, "sensors");
        assertThat(book.effective(List.of())).extracting(AlertRule::name).containsExactly("a", "b");
    }
}
