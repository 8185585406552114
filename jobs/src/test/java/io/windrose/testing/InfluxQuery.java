package io.windrose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.localcluster.InfluxServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** InfluxQL answers as rows of column → value. */
public final class InfluxQuery {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InfluxQuery() {}

    public static List<Map<String, Object>> rows(InfluxServer influx, String database, String influxql) {
        String answer = influx.query(database, influxql);
        try {
            JsonNode result = MAPPER.readTree(answer).path("results").path(0);
            if (result.has("error")) {
                throw new IllegalStateException("InfluxQL error: " + result.get("error").asText());
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (JsonNode series : result.path("series")) {
                List<String> columns = new ArrayList<>();
                series.path("columns").forEach(c -> columns.add(c.asText()));
                for (JsonNode values : series.path("values")) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        JsonNode v = values.get(i);
                        row.put(columns.get(i), v.isNull() ? null : v.isNumber() ? (Object) v.numberValue() : v.asText());
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(answer, e);
        }
    }
}
