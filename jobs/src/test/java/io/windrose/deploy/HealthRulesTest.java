package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus/}: the pipeline's health rules pass Prometheus's own checker ({@code promtool check rules},
 * the command the docs give) and its unit tests ({@code promtool test rules deploy/prometheus/tests/*.yml}), in
 * which every alert fires on a synthetic series and stays quiet in a case where it should; each alert carries a level
 * and says what happened. That they fire on the job's real metrics: {@code HealthRulesITCase} (jobs/standalone).
 */
class HealthRulesTest {
    /** The repository root: the first directory up from the module's (jobs/, jobs/standalone/) with deploy/prometheus. */
    static final Path ROOT = root();
    static final Set<String> ALERTS = Set.of("WindroseJobDown", "WindroseNoReadings", "WindroseDeadLettersRising",
            "WindroseCheckpointsFailing", "WindroseMqttReaderStalled", "WindroseInfluxDbWritesFailing");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void promtoolChecksTheRuleFiles() throws Exception {
        Result result = bash("promtool check rules deploy/prometheus/*.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
    }

    @Test
    void everyRuleFiresInPromtoolsUnitTestsAndStaysQuietWhenItShould() throws Exception {
        Result result = bash("promtool test rules deploy/prometheus/tests/*.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");

        Map<String, Integer> firing = new LinkedHashMap<>();
        Map<String, Integer> quiet = new LinkedHashMap<>();
        for (JsonNode test : YAML.readTree(ROOT.resolve("deploy/prometheus/tests/windrose-health-test.yml").toFile())
                .path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : firing).merge(check.path("alertname").asText(), 1,
                        Integer::sum);
            }
        }
        assertThat(firing.keySet()).as("alerts a unit test sees firing").containsExactlyInAnyOrderElementsOf(ALERTS);
        assertThat(quiet.keySet()).as("alerts a unit test sees quiet").containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    @Test
    void everyAlertHasALevelASummaryAndADescription() throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode rule : rules()) {
            String name = rule.path("alert").asText();
            names.add(name);
            assertThat(rule.path("labels").path("level").asText()).as(name + " level").isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(name + " summary").contains("{{ $labels.job_name }}");
            assertThat(rule.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            assertThat(rule.path("expr").asText()).as(name + " uses the job's metrics").contains("flink_");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(ALERTS);
    }

    /** The metric names the rules use: the {@code flink_…} words of their expressions (the dead-letter regex too). */
    static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : rules()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("flink_[A-Za-z0-9_]+").matcher(rule.path("expr").asText());
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    static List<JsonNode> rules() throws IOException {
        List<JsonNode> rules = new ArrayList<>();
        try (var files = java.nio.file.Files.newDirectoryStream(ROOT.resolve("deploy/prometheus"), "*.yml")) {
            for (Path file : files) {
                for (JsonNode group : YAML.readTree(file.toFile()).path("groups")) {
                    group.path("rules").forEach(rules::add);
                }
            }
        }
        return rules;
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !java.nio.file.Files.isDirectory(dir.resolve("deploy/prometheus"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no deploy/prometheus above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    record Result(int exit, String output) {}

    /** {@code bash -c COMMAND} in the repository root, as a user types it there. */
    static Result bash(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).directory(ROOT.toFile()).redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(killed after 60 s)");
        }
        return new Result(process.exitValue(), output);
    }
}
