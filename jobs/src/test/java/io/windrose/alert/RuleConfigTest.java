package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules section: kinds, levels, hysteresis and their checks, named by key. */
class RuleConfigTest {
    private static final String ROUTE = "routes:\n  - name: sensors\n    topic-template: sensors/{site}/{sensor}\n";

    @TempDir
    Path dir;

    @Test
    void kindsAreInferredFromTheirKeysAndLevelsBindByName() throws IOException {
        Files.writeString(dir.resolve("expected.txt"), "never-1 site=a\n");
        PipelineConfig config = load("""
                rules:
                  - {name: hot, field: temperature, above: {warning: 30, critical: 40}, reset: {warning: 28}}
                  - {name: rising, field: temperature, above: 2, over: 5m}
                  - {name: silent, after: 20s, expected: expected.txt, level: critical}
                """);
        assertThat(config.rules).extracting(RuleConfig::kind)
                .containsExactly(RuleKind.THRESHOLD, RuleKind.RATE, RuleKind.DEADMAN);
        AlertRule hot = config.rules.get(0).compile("sensors");
        assertThat(hot.threshold(Level.WARNING.ordinal())).isEqualTo(30);
        assertThat(hot.threshold(Level.CRITICAL.ordinal())).isEqualTo(40);
        assertThat(hot.reset(Level.WARNING.ordinal())).isEqualTo(28);
        assertThat(hot.reset(Level.CRITICAL.ordinal())).as("default reset: the threshold").isEqualTo(40);
        AlertRule silent = config.rules.get(2).compile("sensors");
        assertThat(silent.measurement).isEqualTo("sensors");
        assertThat(Path.of(silent.expected)).isEqualTo(dir.resolve("expected.txt"));
        assertThat(silent.deadmanLevel).isEqualTo(Level.CRITICAL);
    }

    @Test
    void badRulesAreNamedByKey() {
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: {warning: 30, fatal: 50}}\n"))
                .hasMessageContaining("key 'rules[0].above'").hasMessageContaining("info, warning, critical");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: {warning: 40, critical: 30}}\n"))
                .hasMessageContaining("key 'rules[0].above.critical'").hasMessageContaining("at least");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 30, reset: 35}\n"))
                .hasMessageContaining("key 'rules[0].reset.warning'").hasMessageContaining("clear side");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: {warning: 30}, reset: {critical: 20}}\n"))
                .hasMessageContaining("key 'rules[0].reset.critical'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: deadman}\n"))
                .hasMessageContaining("key 'rules[0].after'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, after: 1m, field: t, above: 3}\n"))
                .hasMessageContaining("key 'rules[0]'").hasMessageContaining("deadman");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, flapping: {history: 80}}\n"))
                .hasMessageContaining("key 'rules[0].flapping.history'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, flapping: {high: 0.2, low: 0.3}}\n"))
                .hasMessageContaining("key 'rules[0].flapping'").hasMessageContaining("low < high");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, after: 1m, expected: /no/such/file}\n"))
                .hasMessageContaining("key 'rules[0].expected'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, level: severe}\n"))
                .hasMessageContaining("key 'rules[0].level'").hasMessageContaining("[info, warning, critical]");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, on: window, stat: median}\n"))
                .hasMessageContaining("key 'rules[0].stat'");
    }

    @Test
    void stuckRulesTakeFieldForToleranceAndLevel() throws IOException {
        PipelineConfig config = load("""
                rules:
                  - {name: frozen, kind: stuck, field: temperature, for: 10m, tolerance: 0.05, level: critical}
                  - {name: frozen-exactly, kind: stuck, field: pressure, for: 5m}
                """);
        AlertRule frozen = config.rules.get(0).compile("sensors");
        assertThat(frozen.kind).isEqualTo(RuleKind.STUCK);
        assertThat(frozen.holdMs).isEqualTo(600_000);
        assertThat(frozen.tolerance).isEqualTo(0.05);
        assertThat(frozen.deadmanLevel).isEqualTo(Level.CRITICAL);
        assertThat(frozen.ordered()).as("taken in event-time order").isTrue();
        AlertRule exactly = config.rules.get(1).compile("sensors");
        assertThat(exactly.tolerance).as("default tolerance").isZero();
        assertThat(exactly.deadmanLevel).as("default level, as deadman's").isEqualTo(Level.WARNING);
    }

    @Test
    void badStuckRulesAreNamedByKey() {
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t}\n"))
                .hasMessageContaining("key 'rules[0].for'").hasMessageContaining("stuck rule needs 'for'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, for: 1m}\n"))
                .hasMessageContaining("key 'rules[0].field'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, reset: 3}\n"))
                .hasMessageContaining("key 'rules[0].reset'").hasMessageContaining("no reset");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, clear-after: 1m}\n"))
                .hasMessageContaining("key 'rules[0].clear-after'").hasMessageContaining("no clear-after");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, above: 3}\n"))
                .hasMessageContaining("key 'rules[0]'").hasMessageContaining("no above or below");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, tolerance: -1}\n"))
                .hasMessageContaining("key 'rules[0].tolerance'").hasMessageContaining("at least 0");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, over: 1m}\n"))
                .hasMessageContaining("key 'rules[0].over'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: stuck, field: t, for: 1m, on: window}\n"))
                .hasMessageContaining("key 'rules[0].on'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, tolerance: 1}\n"))
                .hasMessageContaining("key 'rules[0].tolerance'").hasMessageContaining("stuck rules");
    }

    @Test
    void anomalyRulesTakeSigmaPerLevelOrOneNumberHalfLifeAndMinSamples() throws IOException {
        PipelineConfig config = load("""
                rules:
                  - {name: odd, kind: anomaly, field: temperature, sigma: {warning: 3, critical: 5}, reset: {warning: 2},
                     half-life: 30m, min-samples: 100, for: 1m}
                  - {name: odder, kind: anomaly, field: pressure, sigma: 4, level: critical}
                """);
        AlertRule odd = config.rules.get(0).compile("sensors");
        assertThat(odd.kind).isEqualTo(RuleKind.ANOMALY);
        assertThat(odd.threshold(Level.WARNING.ordinal())).isEqualTo(3);
        assertThat(odd.threshold(Level.CRITICAL.ordinal())).isEqualTo(5);
        assertThat(odd.reset(Level.WARNING.ordinal())).isEqualTo(2);
        assertThat(odd.halfLifeMs).isEqualTo(1_800_000);
        assertThat(odd.minSamples).isEqualTo(100);
        assertThat(odd.ordered()).as("taken in event-time order").isTrue();
        assertThat(odd.lookBack()).as("10 half-lives").isEqualTo(java.time.Duration.ofMinutes(300));
        AlertRule odder = config.rules.get(1).compile("sensors");
        assertThat(odder.threshold(Level.CRITICAL.ordinal())).isEqualTo(4);
        assertThat(Double.isNaN(odder.threshold(Level.WARNING.ordinal()))).isTrue();
        assertThat(odder.halfLifeMs).as("default half-life").isEqualTo(600_000);
        assertThat(odder.minSamples).as("default min-samples").isEqualTo(30);
    }

    @Test
    void badAnomalyRulesAreNamedByKey() {
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t}\n"))
                .hasMessageContaining("key 'rules[0].sigma'").hasMessageContaining("warning: 3, critical: 5");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, sigma: 3}\n"))
                .hasMessageContaining("key 'rules[0].field'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, above: 30}\n"))
                .hasMessageContaining("key 'rules[0]'").hasMessageContaining("no above or below");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: -1}\n"))
                .hasMessageContaining("key 'rules[0].sigma.warning'").hasMessageContaining("positive");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: {warning: 5, critical: 3}}\n"))
                .hasMessageContaining("key 'rules[0].sigma.critical'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, reset: 4}\n"))
                .hasMessageContaining("key 'rules[0].reset.warning'").hasMessageContaining("clear side");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, min-samples: 0}\n"))
                .hasMessageContaining("key 'rules[0].min-samples'").hasMessageContaining("at least 1");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, half-life: 0s}\n"))
                .hasMessageContaining("key 'rules[0].half-life'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, on: window}\n"))
                .hasMessageContaining("key 'rules[0].on'");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, window: 10m}\n"))
                .hasMessageContaining("window");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, sigma: 3}\n"))
                .hasMessageContaining("key 'rules[0].sigma'").hasMessageContaining("anomaly rules");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, half-life: 5m}\n"))
                .hasMessageContaining("key 'rules[0].half-life'").hasMessageContaining("anomaly rules");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, field: t, above: 3, min-samples: 10}\n"))
                .hasMessageContaining("key 'rules[0].min-samples'").hasMessageContaining("anomaly rules");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, reset: 0}\n"))
                .hasMessageContaining("key 'rules[0].reset'").hasMessageContaining("positive score");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, half-life: 0s}\n"))
                .as("in the file's own notation").hasMessageContaining("got 0s");
        assertThatThrownBy(() -> load("rules:\n  - {name: r, kind: anomaly, field: t, sigma: 3, for: 10m}\n"))
                .hasMessageContaining("key 'rules[0].for'").hasMessageContaining("less than half-life (10m)");
    }

    @Test
    void expectedSensorFilesAllowTagsAndComments() {
        var sensors = ExpectedSensors.parse(List.of("# the pumps of hall 1", "pump-1 site=hall-1 line=4", "",
                "pump-2   # no tags", "  pump-3 site=hall-2"), "silent", "sensors");
        assertThat(sensors).extracting(s -> s.getSensorId()).containsExactly("pump-1", "pump-2", "pump-3");
        assertThat(sensors.get(0).getTags()).containsEntry("site", "hall-1").containsEntry("line", "4");
        assertThat(sensors.get(1).getTags()).isEmpty();
        assertThat(sensors).allSatisfy(s -> assertThat(s.getMeasurement()).isEqualTo("sensors"));
    }

    private PipelineConfig load(String rules) throws IOException {
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), ROUTE + rules);
        return new PipelineConfigLoader().load(file, List.of());
    }
}
