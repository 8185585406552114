package io.windrose.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code deploy/grafana/} gives Grafana: the provisioned datasources and the dashboards, read as Grafana reads
 * them, with each dashboard's variables, panels (and their queries) and annotation queries.
 */
public final class GrafanaDashboards {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(\\w+)\\s*}}");

    /** A provisioned datasource. */
    public record Datasource(String uid, String type, String name, JsonNode jsonData) {
        /** jsonData.timeInterval (Grafana's minimum interval / Prometheus scrape interval), else Grafana's 15 s. */
        public Duration timeInterval() {
            String text = jsonData.path("timeInterval").asText("15s");
            return Duration.parse("PT" + text.toUpperCase());
        }
    }

    /** One query of a panel (or an annotation), with what the panel reads from its answer. */
    public record Query(String dashboard, String panel, String datasourceUid, String text, boolean instant,
            String repeat, Duration minInterval, Set<String> columnsUsed, Set<String> labelsUsed) {}

    private final Path root;
    private final Map<String, Datasource> datasources = new LinkedHashMap<>();
    private final Map<Path, JsonNode> dashboards = new LinkedHashMap<>();

    public GrafanaDashboards(Path root) {
        this.root = root;
        try {
            try (Stream<Path> files = Files.list(root.resolve("provisioning/datasources"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                    for (JsonNode ds : YAML.readTree(file.toFile()).path("datasources")) {
                        datasources.put(ds.path("uid").asText(), new Datasource(ds.path("uid").asText(),
                                ds.path("type").asText(), ds.path("name").asText(), ds.path("jsonData")));
                    }
                }
            }
            try (Stream<Path> files = Files.list(root.resolve("dashboards"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    dashboards.put(file, JSON.readTree(file.toFile()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public Map<String, Datasource> datasources() {
        return datasources;
    }

    public Map<Path, JsonNode> dashboards() {
        return dashboards;
    }

    /** The dashboard's panels, those inside collapsed rows included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    /** Every panel query and annotation query of {@code dashboard}. */
    public List<Query> queries(JsonNode dashboard) {
        String title = dashboard.path("title").asText();
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            Set<String> columns = columnsUsed(panel);
            String panelUid = panel.path("datasource").path("uid").asText();
            Duration minInterval = panel.hasNonNull("interval") ? Duration.parse("PT" + panel.get("interval").asText()
                    .toUpperCase()) : null;
            for (JsonNode target : panel.path("targets")) {
                String uid = target.path("datasource").path("uid").asText(panelUid);
                boolean prometheus = target.has("expr");
                String text = prometheus ? target.path("expr").asText() : target.path("query").asText();
                Set<String> labels = new LinkedHashSet<>();
                Matcher legend = LEGEND_LABEL.matcher(target.path("legendFormat").asText(""));
                while (legend.find()) {
                    labels.add(legend.group(1));
                }
                queries.add(new Query(title, panel.path("title").asText(), uid, text,
                        target.path("instant").asBoolean(false) && !target.path("range").asBoolean(false),
                        panel.path("repeat").asText(null), minInterval, columns, labels));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.path("builtIn").asInt(0) == 1) {
                continue;
            }
            Set<String> columns = new LinkedHashSet<>();
            columns.add(annotation.path("textColumn").asText());
            for (String tag : annotation.path("tagsColumn").asText("").split(",")) {
                if (!tag.isBlank()) {
                    columns.add(tag.trim());
                }
            }
            queries.add(new Query(title, "annotation " + annotation.path("name").asText(),
                    annotation.path("datasource").path("uid").asText(), annotation.path("target").path("query").asText(),
                    false, null, null, columns, Set.of()));
        }
        return queries;
    }

    /**
     * The fields a panel refers to by name (overrides, fill-below-to, value filters, column order): each must be a
     * column (or tag) of its queries' answers, else the panel silently shows less than it should.
     */
    static Set<String> columnsUsed(JsonNode panel) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode override : panel.path("fieldConfig").path("overrides")) {
            if (override.path("matcher").path("id").asText().equals("byName")) {
                names.add(override.path("matcher").path("options").asText());
            }
            for (JsonNode property : override.path("properties")) {
                if (property.path("id").asText().equals("custom.fillBelowTo")) {
                    names.add(property.path("value").asText());
                }
            }
        }
        for (JsonNode transformation : panel.path("transformations")) {
            JsonNode options = transformation.path("options");
            for (JsonNode filter : options.path("filters")) {
                names.add(filter.path("fieldName").asText());
            }
            options.path("indexByName").fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
