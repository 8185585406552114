package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.windrose.deploy.GrafanaTemplating.Range;
import io.windrose.deploy.GrafanaTemplating.Selection;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/} as Grafana would load it (Grafana cannot be installed here): provisioning files with the
 * keys Grafana reads, dashboards with the fields Grafana requires and datasources by provisioned uid, every query
 * raw InfluxQL or PromQL with no variable left unexpanded; and the expansion itself against Grafana's documented
 * behaviour. {@code GrafanaDashboardsITCase} runs every query against real servers.
 */
class GrafanaDashboardsTest {
    static final Path GRAFANA = Path.of("../deploy/grafana");
    private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "table", "bargauge", "row");

    private final GrafanaDashboards grafana = new GrafanaDashboards(GRAFANA);

    @Test
    void provisioningFilesHaveWhatGrafanaReads() throws IOException {
        assertThat(grafana.datasources()).containsOnlyKeys("windrose-influxdb", "windrose-prometheus");
        assertThat(grafana.datasources().get("windrose-influxdb").type()).isEqualTo("influxdb");
        assertThat(grafana.datasources().get("windrose-influxdb").jsonData().path("dbName").asText()).isEqualTo("telemetry");
        assertThat(grafana.datasources().get("windrose-prometheus").type()).isEqualTo("prometheus");
        assertThat(grafana.datasources().get("windrose-prometheus").timeInterval()).isEqualTo(Duration.ofSeconds(5));
        JsonNode datasources = new YAMLMapper().readTree(GRAFANA.resolve("provisioning/datasources/windrose.yaml").toFile());
        assertThat(datasources.path("apiVersion").asInt()).isEqualTo(1);
        for (JsonNode ds : datasources.path("datasources")) {
            assertThat(ds.path("url").asText()).as(ds.path("name").asText()).startsWith("http");
            assertThat(ds.path("access").asText()).isEqualTo("proxy");
        }
        JsonNode providers = new YAMLMapper().readTree(GRAFANA.resolve("provisioning/dashboards/windrose.yaml").toFile());
        assertThat(providers.path("apiVersion").asInt()).isEqualTo(1);
        assertThat(providers.path("providers")).hasSize(1);
        assertThat(providers.path("providers").get(0).path("type").asText()).isEqualTo("file");
        assertThat(providers.path("providers").get(0).path("options").path("path").asText()).isNotBlank();
    }

    @Test
    void dashboardsHaveTheFieldsGrafanaRequires() {
        assertThat(grafana.dashboards()).hasSize(2);
        Set<String> uids = new HashSet<>();
        for (Map.Entry<Path, JsonNode> entry : grafana.dashboards().entrySet()) {
            JsonNode dashboard = entry.getValue();
            String name = entry.getKey().getFileName().toString();
            assertThat(dashboard.path("title").asText()).as(name).startsWith("Windrose — ");
            assertThat(uids.add(dashboard.path("uid").asText())).as(name + " uid unique").isTrue();
            assertThat(dashboard.path("uid").asText()).as(name).matches("[a-z0-9-]{1,40}");
            assertThat(dashboard.path("schemaVersion").asInt()).as(name).isGreaterThanOrEqualTo(36);
            assertThat(dashboard.path("templating").path("list").isArray()).as(name + " templating").isTrue();
            assertThat(dashboard.path("time").path("from").asText()).as(name).startsWith("now-");
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : GrafanaDashboards.panels(dashboard)) {
                String title = name + " / " + panel.path("title").asText();
                assertThat(ids.add(panel.path("id").asInt())).as(title + " id unique").isTrue();
                assertThat(PANEL_TYPES).as(title).contains(panel.path("type").asText());
                JsonNode grid = panel.path("gridPos");
                for (String key : List.of("h", "w", "x", "y")) {
                    assertThat(grid.path(key).isInt()).as(title + " gridPos." + key).isTrue();
                }
                assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title + " fits 24 columns").isLessThanOrEqualTo(24);
                assertThat(grafana.datasources()).as(title + " datasource").containsKey(panel.path("datasource").path("uid").asText());
                assertThat(panel.path("targets")).as(title + " targets").isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    String uid = target.path("datasource").path("uid").asText();
                    assertThat(grafana.datasources()).as(title + " target datasource").containsKey(uid);
                    if (grafana.datasources().get(uid).type().equals("influxdb")) {
                        assertThat(target.path("rawQuery").asBoolean()).as(title + " raw InfluxQL").isTrue();
                        assertThat(target.path("query").asText()).as(title).startsWith("SELECT ");
                    } else {
                        assertThat(target.path("expr").asText()).as(title + " PromQL").isNotBlank();
                    }
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                assertThat(grafana.datasources()).as(name + " variable " + variable.path("name").asText())
                        .containsKey(variable.path("datasource").path("uid").asText());
            }
        }
    }

    @Test
    void noQueryKeepsAnUnknownVariable() {
        for (JsonNode dashboard : grafana.dashboards().values()) {
            Map<String, Selection> selections = new LinkedHashMap<>();
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                selections.put(variable.path("name").asText(), Selection.single("x"));
            }
            Range range = new Range(0, 3_600_000, Duration.ofSeconds(10), Duration.ofSeconds(5));
            for (GrafanaDashboards.Query query : grafana.queries(dashboard)) {
                String expanded = query.text().startsWith("SELECT") ? GrafanaTemplating.influxql(query.text(), selections, range)
                        : GrafanaTemplating.promql(query.text(), selections, range);
                assertThat(expanded).as(query.panel()).doesNotContainPattern("\\$[A-Za-z_]").doesNotContain("[[");
            }
        }
    }

    @Test
    void expandsVariablesAsGrafanaDoes() {
        Range range = new Range(1_000, 3_601_000, Duration.ofSeconds(5), Duration.ofSeconds(5));
        Map<String, Selection> vars = Map.of(
                "site", new Selection(List.of("site-a", "site.b"), true, true, false, ".*"),
                "all", new Selection(List.of("a", "b"), true, true, true, ".*"),
                "allJoined", new Selection(List.of("a", "b/c"), true, true, true, null),
                "one", new Selection(List.of("s(1)"), true, true, false, null),
                "field", Selection.single("temperature"));
        assertThat(GrafanaTemplating.influxql("\"site\" =~ /^$site$/ AND \"x\" =~ /^${all}$/ AND [[one]] AND $allJoined",
                vars, range)).isEqualTo("\"site\" =~ /^(site-a|site\\.b)$/ AND \"x\" =~ /^.*$/ AND s\\(1\\) AND (a|b\\/c)");
        assertThat(GrafanaTemplating.influxql("SELECT last(\"${field}_last\") WHERE $timeFilter GROUP BY time($__interval)",
                vars, range)).isEqualTo("SELECT last(\"temperature_last\") WHERE time >= 1000ms and time <= 3601000ms"
                + " GROUP BY time(5s)");
        assertThat(GrafanaTemplating.promql("rate(x{a=~\"$site\"}[$__rate_interval]) $1 $unknown", vars, range))
                .isEqualTo("rate(x{a=~\"(site-a|site\\.b)\"}[20s]) $1 $unknown");
    }

    @Test
    void intervalsRoundAsGrafanasRoundInterval() {
        assertThat(GrafanaTemplating.interval(0, 3_600_000, 1000, Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(GrafanaTemplating.interval(0, 3_600_000, 1000, Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
        assertThat(GrafanaTemplating.interval(0, 86_400_000, 1000, Duration.ofSeconds(10))).isEqualTo(Duration.ofMinutes(1));
        assertThat(GrafanaTemplating.interval(0, 900_000, 1000, Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(GrafanaTemplating.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(GrafanaTemplating.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(new Range(0, 1, Duration.ofSeconds(30), Duration.ofSeconds(5)).rateInterval()).isEqualTo(Duration.ofSeconds(35));
    }

    @Test
    void variableRegexesKeepTheCaptureGroupAndDropTheRest() {
        assertThat(GrafanaTemplating.applyRegex(List.of("humidity_mean", "temperature_max", "temperature_mean"),
                "/^(.+)_mean$/")).containsExactly("humidity", "temperature");
        assertThat(GrafanaTemplating.applyRegex(List.of("alerts", "sensors", "zigbee", "alerts_x"), "/^(?!alerts$).+$/"))
                .containsExactly("sensors", "zigbee", "alerts_x");
        assertThat(GrafanaTemplating.applyRegex(List.of("a", "b"), "")).containsExactly("a", "b");
    }

    @Test
    void panelsNameTheColumnsTheyUse() {
        JsonNode sensors = grafana.dashboards().values().stream()
                .filter(d -> d.path("uid").asText().equals("windrose-sensors")).findFirst().orElseThrow();
        List<GrafanaDashboards.Query> queries = grafana.queries(sensors);
        assertThat(queries).filteredOn(q -> q.panel().contains("min–max band")).singleElement()
                .satisfies(q -> {
                    assertThat(q.columnsUsed()).contains("min", "max", "mean");
                    assertThat(q.repeat()).isEqualTo("sensor");
                });
        assertThat(queries).filteredOn(q -> q.panel().equals("Raised now")).singleElement()
                .satisfies(q -> assertThat(q.columnsUsed()).contains("state", "sensor", "rule", "message"));
        assertThat(queries).filteredOn(q -> q.panel().startsWith("annotation")).hasSize(2)
                .allSatisfy(q -> assertThat(q.columnsUsed()).contains("message", "rule", "level"));
    }
}
