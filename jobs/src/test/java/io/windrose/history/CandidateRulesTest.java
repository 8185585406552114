package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.alert.AlertRule;
import io.windrose.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three shapes of a candidate rules file, and errors that name the file and the key. */
class CandidateRulesTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("candidate.yaml"), yaml);
    }

    private static List<String> names(Path file) {
        return CandidateRules.of(file, "m").effective(List.of()).stream().map(AlertRule::name).toList();
    }

    @Test
    void oneRule() throws Exception {
        Path file = file("""
                name: too-hot
                field: temperature
                above: {warning: 30, critical: 40}
                for: 2m
                """);
        assertThat(names(file)).containsExactly("too-hot");
        CandidateRules.Read read = CandidateRules.read(file);
        assertThat(read.keys()).containsExactly("");
        assertThat(BacktestCommand.levels(read.rules())).containsEntry("too-hot", List.of("warning", "critical"));
    }

    @Test
    void aListOfRules() throws Exception {
        Path file = file("""
                - {name: too-hot, field: temperature, above: 30}
                - {name: silent, after: 5m, level: critical}
                - {name: odd, kind: anomaly, field: temperature, sigma: {warning: 4, critical: 6}}
                - {name: frozen, kind: stuck, field: temperature, for: 1m}
                """);
        assertThat(names(file)).containsExactly("too-hot", "silent", "odd", "frozen");
        assertThat(BacktestCommand.levels(CandidateRules.read(file).rules()))
                .containsEntry("too-hot", List.of("warning")).containsEntry("silent", List.of("critical"))
                .containsEntry("odd", List.of("warning", "critical")).containsEntry("frozen", List.of("warning"));
    }

    @Test
    void aPipelineStyleFileOfWhichOnlyTheRulesAreRead() throws Exception {
        Path file = file("""
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - {name: too-hot, field: temperature, above: 32}
                  - {name: too-cold, field: temperature, below: 2}
                """);
        assertThat(names(file)).containsExactly("too-hot", "too-cold");
        assertThat(CandidateRules.read(file).ignoredKeys()).containsExactly("routes");
        assertThat(CandidateRules.read(file).keys()).containsExactly("rules[0]", "rules[1]");
    }

    @Test
    void environmentReferencesAndRelativeFilesAsInThePipelineFile() throws Exception {
        Files.writeString(dir.resolve("fleet.txt"), "pump-1\n");
        Path file = file("""
                - {name: hot, field: "${FIELD}", above: 31}
                - {name: silent, after: 5m, expected: fleet.txt}
                """);
        CandidateRules.Read read = CandidateRules.read(file, name -> name.equals("FIELD") ? "temperature" : null);
        assertThat(read.rules().get(0).field).isEqualTo("temperature");
        assertThat(read.rules().get(1).expected).isEqualTo(dir.resolve("fleet.txt").toString());
        assertThat(CandidateRules.book(file, read, "m").effective(List.of())).hasSize(2);
    }

    @Test
    void errorsNameTheFileAndTheKey() throws Exception {
        Path list = file("""
                - {name: too-hot, field: temperature, above: 30}
                - {name: too-cold, field: temperature, above: {warning: 10, critical: 5}}
                """);
        assertThatThrownBy(() -> CandidateRules.read(list)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(list.toString()).hasMessageContaining("key '[1].above.critical'")
                .hasMessageContaining("at least the lower level's");

        Path pipeline = file("""
                rules:
                  - {name: too-hot, field: temperature, above: 30}
                  - {name: too-cold, field: temperature, abov: 3}
                """);
        assertThatThrownBy(() -> CandidateRules.read(pipeline)).hasMessageContaining(pipeline.toString())
                .hasMessageContaining("key 'rules[1].abov'").hasMessageContaining("unknown key");

        Path one = file("""
                name: hot
                field: temperature
                above: 30
                for: 2
                """);
        assertThatThrownBy(() -> CandidateRules.read(one)).hasMessageContaining("key 'for'")
                .hasMessageContaining("with a unit");

        Path twice = file("""
                - {name: hot, field: temperature, above: 30}
                - {name: hot, field: temperature, above: 35}
                """);
        assertThatThrownBy(() -> CandidateRules.read(twice)).hasMessageContaining("key '[1].name'")
                .hasMessageContaining("used twice");

        Path expected = file("""
                - {name: silent, after: 5m, expected: nowhere.txt}
                """);
        assertThatThrownBy(() -> CandidateRules.read(expected)).hasMessageContaining("key '[0].expected'");
    }

    @Test
    void aMissingFileAnEmptyOneAndAnEmptyListAreErrors() throws Exception {
        Path absent = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> CandidateRules.read(absent)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(absent.toString()).hasMessageContaining("file not found");
        Path empty = file("");
        assertThatThrownBy(() -> CandidateRules.read(empty)).hasMessageContaining("the file is empty");
        Path emptyList = file("[]");
        assertThatThrownBy(() -> CandidateRules.read(emptyList)).hasMessageContaining("an empty list");
        Path emptyRules = file("rules: []");
        assertThatThrownBy(() -> CandidateRules.read(emptyRules)).hasMessageContaining("key 'rules'")
                .hasMessageContaining("at least one rule");
        Path neither = file("window: {size: 1m}");
        assertThatThrownBy(() -> CandidateRules.read(neither)).hasMessageContaining("expected one rule");
        Path notARule = file("- {name: hot, field: temperature, above: 30}\n- hot\n");
        assertThatThrownBy(() -> CandidateRules.read(notARule)).hasMessageContaining("key '[1]'")
                .hasMessageContaining("expected a rule");
    }
}
