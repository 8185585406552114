package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.deploy.GrafanaTemplating.Range;
import io.windrose.deploy.GrafanaTemplating.Selection;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.localcluster.PrometheusServer;
import io.windrose.localcluster.Simulator;
import io.windrose.standalone.JobProcess;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proof of {@code deploy/grafana/} without Grafana (it cannot be installed here): the standalone job
 * ({@code java -jar windrose-job.jar}, Flink's Web UI and Prometheus reporter on as in the local stack) with the
 * simulator writes to a real influxd, a real Prometheus scrapes the job's reporter; then every variable's, panel's and
 * annotation's query of the dashboard files is expanded as Grafana expands it and run against those servers — for All
 * selected and for two values of each multi-value variable, repeated panels once per value — and must answer without
 * error, with data (for All) and with the columns and labels the panel uses. The sensors dashboard is run twice: with its
 * default measurement {@code sensors}, and with {@code plant}, what the route {@code plant} makes of the simulator's
 * Sparkplug B edge node (sensor ids {@code edge-1/press-1}, {@code edge-1/oven-1} and {@code edge-1}, no {@code site}
 * tag: the site variable is empty, so Grafana selects All, {@code .*}).
 */
class GrafanaDashboardsITCase {
    private static final Path GRAFANA = Path.of("../../deploy/grafana");
    private static final String DB = "dashboards";
    /** What Grafana sends as maxDataPoints for a panel about 1000 pixels wide. */
    private static final int MAX_DATA_POINTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One pass over a dashboard: the variables {@code set} as a user would set them (the others at the dashboard's
     * current value, or the first), the variables whose query must answer with no values in this pass ({@code empty}:
     * Grafana then selects All, its all value), values that variables must offer ({@code offered}), and the values of
     * a repeated panel's variable that have no data for the field (their panels show "No data", as they should).
     */
    private record Pass(String name, Map<String, String> set, Set<String> empty, Map<String, List<String>> offered,
            Set<String> noData) {}

    /** The dashboards as they open: measurement {@code sensors}. */
    private static final Pass DEFAULT = new Pass("default", Map.of(), Set.of(), Map.of(), Set.of());
    /**
     * The sensors dashboard on the Sparkplug edge node's measurement: no site tag (the site variable empty), the field
     * Pressure, which only {@code edge-1/press-1} has (not the oven, not the node's own sensor {@code edge-1}).
     */
    private static final Pass PLANT = new Pass("measurement plant", Map.of("measurement", "plant", "field", "Pressure"),
            Set.of("site"), Map.of("sensor", List.of("edge-1/press-1", "edge-1/oven-1", "edge-1")),
            Set.of("edge-1", "edge-1/oven-1"));

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();
    private final HttpClient http = HttpClient.newHttpClient();
    private final GrafanaDashboards grafana = new GrafanaDashboards(GRAFANA);

    @Test
    void everyDashboardQueryAnswersWithTheJobsData() throws Exception {
        Path dir = RealServices.newDirectory("dashboards");
        int webUi = Ports.free();
        int reporter = Ports.free();
        influx.createDatabase(DB);
        String pipeline = TestPipelines.services("dashboards", mosquitto, influx, DB, null)
                .replace("  flink-config:\n", """
                          flink-config:
                            rest.bind-port: "%d"
                            metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
                            metrics.reporter.prom.port: "%d"
                        """.formatted(webUi, reporter)) + """
                routes:
                  - {name: sensors, topic-template: "sensors/{site}/{sensor}", format: json}
                  - {name: plant, format: sparkplug-b, topics: ['spBv1.0/#']}
                rules:
                  - name: too-hot
                    field: temperature
                    above: {warning: 28, critical: 31}
                    reset: {warning: 26, critical: 30}
                """;
        Path file = Files.writeString(dir.resolve("pipeline.yaml"), pipeline);
        try (JobProcess job = JobProcess.start(dir, "dashboards", file).awaitSubscribed(1);
                PrometheusServer prometheus = new PrometheusServer(Ports.free(), List.of("127.0.0.1:" + reporter),
                        Duration.ofSeconds(1), dir.resolve("prometheus")).start();
                Simulator simulator = new Simulator("127.0.0.1", mosquitto.port(), 6, 20, null, true);
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            // the mini-cluster serves Flink's Web UI (flink-runtime-web in windrose-job.jar) and its REST API
            assertThat(get("http://127.0.0.1:" + webUi + "/")).contains("Apache Flink Web Dashboard");
            assertThat(JSON.readTree(get("http://127.0.0.1:" + webUi + "/jobs/overview")).path("jobs").get(0)
                    .path("state").asText()).isEqualTo("RUNNING");

            Thread thread = new Thread(simulator, "simulator");
            thread.setDaemon(true);
            thread.start();
            long start = System.currentTimeMillis();
            for (int i = 0; i < 5; i++) { // an alert to show, whatever the simulator's temperatures do
                device.publish("sensors/site-hot/s-hot", "{\"ts\":" + (start + i * 1000) + ",\"temperature\":35.5}");
            }
            device.publish("sensors/site-hot/s-bad", "not json"); // a dead letter (MALFORMED)

            // three closed windows for every sensor, the alert, and Prometheus scrapes of all that
            // of the simulator's six sensors s-4 pauses one minute in five (for deadman rules): five of six at least
            int sensors = Await.until(() -> sensorsWithWindows(3), n -> n >= 5, Duration.ofSeconds(90));
            assertThat(sensors).as("simulated sensors with 3 windows in InfluxDB").isGreaterThanOrEqualTo(5);
            // the edge node (started with the sensors): the press's windows, and the oven's (dead 20 s in five minutes)
            Map<String, Integer> plant = Await.until(() -> windows("plant", "Pressure"),
                    w -> w.getOrDefault("edge-1/press-1", 0) >= 3, Duration.ofSeconds(60));
            assertThat(plant).as("Pressure windows of the edge node's press").containsKey("edge-1/press-1");
            assertThat(plant.get("edge-1/press-1")).as("Pressure windows of edge-1/press-1").isGreaterThanOrEqualTo(3);
            assertThat(Await.until(() -> windows("plant", "Temperature"), w -> w.containsKey("edge-1/oven-1"),
                    Duration.ofSeconds(60))).as("Temperature windows of edge-1/oven-1").containsKey("edge-1/oven-1");
            assertThat(influx.query(DB, "SHOW TAG KEYS FROM \"plant\"")).as("the plant's tags")
                    .contains("\"edge_node\"", "\"device\"", "\"group\"", "\"sensor\"").doesNotContain("\"site\"");
            assertThat(influx.query(DB, "SELECT * FROM sensors WHERE sensor = 's-hot'")).contains("35.5");
            assertThat(influx.query(DB, "SELECT * FROM alerts WHERE sensor = 's-hot'")).contains("RAISED");
            String malformed = "sum(flink_taskmanager_job_task_operator_windrose_deadLetters_MALFORMED)";
            String scraped = Await.until(() -> prometheus.get("/api/v1/query", "query", malformed),
                    answer -> answer.contains("\"1\"]"), Duration.ofSeconds(30));
            assertThat(scraped).as("the dead letter counted and scraped").contains("\"1\"]");

            long to = System.currentTimeMillis();
            long from = to - Duration.ofMinutes(15).toMillis();
            List<String> checked = new ArrayList<>();
            int passes = 0;
            for (Map.Entry<Path, JsonNode> entry : grafana.dashboards().entrySet()) {
                for (Pass pass : passes(entry.getValue())) {
                    for (boolean all : List.of(true, false)) {
                        checked.addAll(runDashboard(entry.getValue(), prometheus, from, to, all, pass));
                    }
                    passes += pass == PLANT ? 1 : 0;
                }
            }
            assertThat(passes).as("dashboards run with measurement plant (the sensors dashboard)").isEqualTo(1);
            // every query of both dashboards ran (some more than once: repeats, both selections)
            Set<String> distinct = new TreeSet<>(checked);
            int queries = grafana.dashboards().values().stream().mapToInt(d -> grafana.queries(d).size()).sum();
            assertThat(distinct).hasSizeGreaterThanOrEqualTo(queries);
        }
    }

    /** The default pass, and for a dashboard with a measurement variable (the sensors dashboard) the plant's. */
    private static List<Pass> passes(JsonNode dashboard) {
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals("measurement")) {
                return List.of(DEFAULT, PLANT);
            }
        }
        return List.of(DEFAULT);
    }

    /** Resolves the variables of {@code dashboard}, then runs every query; returns "dashboard / panel / query" run. */
    private List<String> runDashboard(JsonNode dashboard, PrometheusServer prometheus, long from, long to, boolean all,
            Pass pass) {
        String title = dashboard.path("title").asText() + (pass == DEFAULT ? "" : " [" + pass.name() + "]");
        String selection = all ? "All" : "two values";
        Map<String, Selection> variables = new LinkedHashMap<>();
        Range variableRange = new Range(from, to, Duration.ofSeconds(10), Duration.ofSeconds(5));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String name = variable.path("name").asText();
            GrafanaDashboards.Datasource ds = grafana.datasources().get(variable.path("datasource").path("uid").asText());
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            List<String> values = ds.type().equals("influxdb")
                    ? influxVariable(GrafanaTemplating.influxql(query, variables, variableRange))
                    : prometheusVariable(prometheus, GrafanaTemplating.promql(query, variables, variableRange), from, to);
            values = GrafanaTemplating.applyRegex(values, variable.path("regex").asText(""));
            boolean multi = variable.path("multi").asBoolean() || variable.path("includeAll").asBoolean();
            if (pass.empty().contains(name)) {
                // Grafana: a variable whose query answers nothing selects All if it has All (else nothing)
                assertThat(values).as(title + ": values of variable " + name + " (" + query + ")").isEmpty();
                assertThat(variable.path("includeAll").asBoolean()).as(title + ": " + name + " has All").isTrue();
                variables.put(name, new Selection(List.of(), variable.path("multi").asBoolean(), true, true,
                        variable.path("allValue").asText(null)));
                continue;
            }
            assertThat(values).as(title + ": values of variable " + name + " (" + query + ")").isNotEmpty()
                    .containsAll(pass.offered().getOrDefault(name, List.of()));
            if (pass.set().containsKey(name)) {
                assertThat(values).as(title + ": values of variable " + name + " (" + query + ")")
                        .contains(pass.set().get(name));
                variables.put(name, Selection.single(pass.set().get(name)));
            } else if (!multi) {
                String current = variable.path("current").path("value").asText();
                variables.put(name, Selection.single(values.contains(current) ? current : values.get(0)));
            } else {
                List<String> chosen = all ? values : values.subList(0, Math.min(2, values.size()));
                variables.put(name, new Selection(chosen, variable.path("multi").asBoolean(),
                        variable.path("includeAll").asBoolean(), all, variable.path("allValue").asText(null)));
            }
        }
        List<String> ran = new ArrayList<>();
        for (GrafanaDashboards.Query query : grafana.queries(dashboard)) {
            GrafanaDashboards.Datasource ds = grafana.datasources().get(query.datasourceUid());
            Duration minInterval = query.minInterval() != null ? query.minInterval() : ds.timeInterval();
            Range range = new Range(from, to, GrafanaTemplating.interval(from, to, MAX_DATA_POINTS, minInterval),
                    ds.timeInterval());
            List<Map<String, Selection>> instances = new ArrayList<>();
            List<String> repeatedValues = new ArrayList<>();
            if (query.repeat() == null) {
                instances.add(variables);
                repeatedValues.add(null);
            } else { // Grafana repeats the panel once per selected value, the variable bound to that value
                for (String value : variables.get(query.repeat()).values()) {
                    Map<String, Selection> one = new LinkedHashMap<>(variables);
                    Selection repeated = variables.get(query.repeat());
                    one.put(query.repeat(), new Selection(List.of(value), repeated.multi(), repeated.includeAll(), false,
                            repeated.allValue()));
                    instances.add(one);
                    repeatedValues.add(value);
                }
                if (all) { // with All: at least one repeated panel with data
                    assertThat(repeatedValues).as(title + " / " + query.panel() + ": repeated for")
                            .anyMatch(value -> !pass.noData().contains(value));
                }
            }
            for (int i = 0; i < instances.size(); i++) {
                Map<String, Selection> instance = instances.get(i);
                boolean hasData = repeatedValues.get(i) == null || !pass.noData().contains(repeatedValues.get(i));
                String where = title + " / " + query.panel() + " (" + selection + ")";
                if (ds.type().equals("influxdb")) {
                    String influxql = GrafanaTemplating.influxql(query.text(), instance, range);
                    Answer answer = influx(influxql);
                    assertThat(answer.error()).as(where + ": error of " + influxql).isNull();
                    if (all && hasData) {
                        assertThat(answer.rows()).as(where + ": rows of " + influxql).isPositive();
                        assertThat(answer.columns()).as(where + ": columns of " + influxql)
                                .containsAll(query.columnsUsed());
                    }
                } else {
                    String promql = GrafanaTemplating.promql(query.text(), instance, range);
                    Answer answer = prometheus(prometheus, promql, query.instant(), range);
                    assertThat(answer.error()).as(where + ": error of " + promql).isNull();
                    if (all && hasData) {
                        assertThat(answer.rows()).as(where + ": series of " + promql).isPositive();
                        assertThat(answer.columns()).as(where + ": labels of " + promql).containsAll(query.labelsUsed());
                    }
                }
                ran.add(title + " / " + query.panel() + " / " + query.text());
            }
        }
        return ran;
    }

    /** An answer: its error (null if none), how many rows (InfluxQL) or series (PromQL), the columns or labels. */
    private record Answer(String error, int rows, Set<String> columns) {}

    private Answer influx(String influxql) {
        try {
            JsonNode result = JSON.readTree(influx.query(DB, influxql));
            if (result.has("error")) {
                return new Answer(result.get("error").asText(), 0, Set.of());
            }
            result = result.path("results").path(0);
            if (result.has("error")) {
                return new Answer(result.get("error").asText(), 0, Set.of());
            }
            int rows = 0;
            Set<String> columns = new LinkedHashSet<>();
            for (JsonNode series : result.path("series")) {
                series.path("columns").forEach(c -> columns.add(c.asText()));
                series.path("tags").fieldNames().forEachRemaining(columns::add);
                rows += series.path("values").size();
            }
            columns.add("Time"); // Grafana's name for the time column
            return new Answer(null, rows, columns);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> influxVariable(String influxql) {
        Answer check = influx(influxql);
        assertThat(check.error()).as(influxql).isNull();
        try {
            List<String> values = new ArrayList<>();
            for (JsonNode series : JSON.readTree(influx.query(DB, influxql)).path("results").path(0).path("series")) {
                // Grafana's InfluxDB variables: SHOW TAG VALUES answers key, value; other SHOW statements the value first
                int column = influxql.toUpperCase().startsWith("SHOW TAG VALUES") ? 1 : 0;
                series.path("values").forEach(row -> values.add(row.get(column).asText()));
            }
            return values.stream().distinct().sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code label_values(metric, label)}, as Grafana asks Prometheus for it. */
    private List<String> prometheusVariable(PrometheusServer prometheus, String query, long from, long to) {
        Matcher m = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)").matcher(query);
        assertThat(m.matches()).as("a label_values(metric, label) variable: " + query).isTrue();
        try {
            JsonNode answer = JSON.readTree(prometheus.get("/api/v1/label/" + m.group(2) + "/values", "match[]",
                    m.group(1), "start", String.valueOf(from / 1000), "end", String.valueOf(to / 1000)));
            assertThat(answer.path("status").asText()).as(query + ": " + answer).isEqualTo("success");
            List<String> values = new ArrayList<>();
            answer.path("data").forEach(v -> values.add(v.asText()));
            return values;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer prometheus(PrometheusServer prometheus, String promql, boolean instant, Range range) {
        try {
            JsonNode answer = JSON.readTree(instant
                    ? prometheus.get("/api/v1/query", "query", promql, "time", seconds(range.toMs()))
                    : prometheus.get("/api/v1/query_range", "query", promql, "start", seconds(range.fromMs()),
                            "end", seconds(range.toMs()), "step", GrafanaTemplating.format(range.interval())));
            if (!answer.path("status").asText().equals("success")) {
                return new Answer(answer.path("error").asText(answer.toString()), 0, Set.of());
            }
            Set<String> labels = new LinkedHashSet<>();
            int series = 0;
            for (JsonNode result : answer.path("data").path("result")) {
                result.path("metric").fieldNames().forEachRemaining(labels::add);
                series++;
            }
            return new Answer(null, series, labels);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000.0);
    }

    /** How many 10 s windows with {@code field} each sensor of {@code measurement} has in InfluxDB. */
    private Map<String, Integer> windows(String measurement, String field) {
        try {
            JsonNode answer = JSON.readTree(influx.query(DB, "SELECT count(\"" + field + "_count\") FROM \""
                    + measurement + "\" WHERE \"window\" = '10s' GROUP BY \"sensor\""));
            Map<String, Integer> windows = new LinkedHashMap<>();
            for (JsonNode series : answer.path("results").path(0).path("series")) {
                windows.put(series.path("tags").path("sensor").asText(), series.path("values").path(0).path(1).asInt());
            }
            return windows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many sensors have at least {@code windows} 10 s windows in InfluxDB. */
    private int sensorsWithWindows(int windows) {
        try {
            JsonNode answer = JSON.readTree(influx.query(DB, "SELECT count(\"temperature_count\") FROM sensors"
                    + " WHERE \"window\" = '10s' GROUP BY \"sensor\""));
            int sensors = 0;
            for (JsonNode series : answer.path("results").path(0).path("series")) {
                sensors += series.path("values").path(0).path(1).asInt() >= windows ? 1 : 0;
            }
            return sensors;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
