package io.windrose.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.config.ConfigException;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alertmanager action's keys and the actions.alertmanager defaults: binding, defaults, errors naming the key. */
class AlertmanagerActionConfigTest {
    private static final String BASE = """
            routes:
              - {name: sensors, topic-template: 'sensors/{site}/{sensor}'}
            """;

    @TempDir
    Path dir;

    @Test
    void aUrlOrAListLabelsAndAnnotationsPerRuleOverTheDefaults() throws IOException {
        PipelineConfig config = load(BASE + """
                rules:
                  - name: too-hot
                    field: temperature
                    above: 30
                    actions:
                      - alertmanager:
                          url: [http://am-1:9093, http://am-2:9093]
                          labels: {team: facilities}
                          annotations: {summary: '{sensor}: {field} {value} above {threshold}'}
                  - name: too-cold
                    field: temperature
                    below: 5
                    actions: [{alertmanager: {}}]
                actions:
                  alertmanager:
                    url: http://127.0.0.1:9095
                    labels: {env: lab}
                    resend-interval: 30s
                    grafana-url: http://127.0.0.1:3000
                    retry-timeout: 2m
                """);
        ActionConfig.Alertmanager hot = config.rules.get(0).actions.get(0).alertmanager;
        assertThat(hot.url).containsExactly("http://am-1:9093", "http://am-2:9093");
        assertThat(hot.labels).isEqualTo(Map.of("team", "facilities"));
        assertThat(hot.annotations).containsEntry("summary", "{sensor}: {field} {value} above {threshold}");
        assertThat(config.rules.get(1).actions.get(0).alertmanager.url).isEmpty();
        ActionsConfig.Alertmanager defaults = config.actions.alertmanager;
        assertThat(defaults.url).containsExactly("http://127.0.0.1:9095");
        assertThat(defaults.labels).isEqualTo(Map.of("env", "lab"));
        assertThat(defaults.resendInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.grafanaUrl).isEqualTo("http://127.0.0.1:3000");
        assertThat(defaults.retryTimeout).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theDefaults() {
        ActionsConfig.Alertmanager defaults = new ActionsConfig().alertmanager;
        assertThat(defaults.url).isEmpty();
        assertThat(defaults.labels).isEmpty();
        assertThat(defaults.resendInterval).isEqualTo(Duration.ofMinutes(1));
        assertThat(defaults.grafanaUrl).isNull();
        assertThat(defaults.retryTimeout).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anActionWithNoUrlAnywhereIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> load(BASE + """
                rules:
                  - {name: hot, field: temperature, above: 30, actions: [{mqtt: {topic: t, raised: 'ON'}}, {alertmanager: {}}]}
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipeline.yaml")
                .hasMessageContaining("rules[0].actions[1].alertmanager.url")
                .hasMessageContaining("actions.alertmanager.url");
    }

    @Test
    void errorsNameTheKeyAndWhatWasExpected() {
        assertError("actions: {alertmanager: {url: 'ftp://x'}}", "actions.alertmanager.url", "http(s)://host:port");
        assertError("actions: {alertmanager: {url: [http://a:1, nope]}}", "actions.alertmanager.url[1]", "http(s)://");
        assertError("actions: {alertmanager: {url: http://a:1, resend-interval: 0s}}",
                "actions.alertmanager.resend-interval", "above zero");
        assertError("actions: {alertmanager: {url: http://a:1, retry-timeout: 0s}}",
                "actions.alertmanager.retry-timeout", "above zero");
        assertError("actions: {alertmanager: {url: http://a:1, grafana-url: grafana}}",
                "actions.alertmanager.grafana-url", "http(s)://");
        assertError("actions: {alertmanager: {labels: {my-team: x}}}", "actions.alertmanager.labels.my-team", "label name");
        assertError("rules: [{name: hot, field: t, above: 1, actions: [{alertmanager: {url: http://a:1, labels: {level: x}}}]}]",
                "rules[0].actions[0].alertmanager.labels.level", "set by Windrose");
        assertError("rules: [{name: hot, field: t, above: 1, actions: [{alertmanager: {url: http://a:1, annotations: {1x: y}}}]}]",
                "rules[0].actions[0].alertmanager.annotations.1x", "annotation name");
        assertError("rules: [{name: hot, field: t, above: 1, actions: [{alertmanager: {url: http://a:1}, webhook: {url: http://b:1}}]}]",
                "rules[0].actions[0]", "one of mqtt, webhook, alertmanager or sparkplug");
        assertError("actions: {alertmanager: {resend-interval: null}}", "actions.alertmanager.resend-interval", "null");
    }

    @Test
    void tagKeysBecomeLabelNames() {
        assertThat(AlertmanagerLabels.sanitize("room.no")).isEqualTo("room_no");
        assertThat(AlertmanagerLabels.sanitize("1st-floor")).isEqualTo("_1st_floor");
        assertThat(AlertmanagerLabels.sanitize("__meta")).isEqualTo("_meta");
        assertThat(AlertmanagerLabels.sanitize("site")).isEqualTo("site");
        assertThat(AlertmanagerLabels.fromTags(Map.of("site", "a", "bad key", "b", "empty", "")))
                .isEqualTo(Map.of("site", "a", "bad_key", "b"));
        for (String name : List.of("room_no", "_1st_floor", "_meta", "site", "bad_key")) {
            assertThat(AlertmanagerLabels.validName(name)).as(name).isTrue();
        }
        assertThat(AlertmanagerLabels.validName("__name__")).isFalse();
        assertThat(AlertmanagerLabels.validName("a-b")).isFalse();
    }

    private void assertError(String yaml, String key, String expected) {
        assertThatThrownBy(() -> load(BASE + yaml)).as(yaml).isInstanceOf(ConfigException.class)
                .hasMessageContaining(key).hasMessageContaining(expected);
    }

    private PipelineConfig load(String yaml) throws IOException {
        return new PipelineConfigLoader().load(Files.writeString(dir.resolve("pipeline.yaml"), yaml), List.of());
    }
}
