package io.windrose.sink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.InfluxServer;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableException;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.junit.jupiter.api.Test;

/**
 * SQL → the real InfluxDB of the shared test services: rows written by {@code 'connector' = 'influxdb'} through the v1
 * API (influxd itself) and the v2 API (the harness's /api/v2/write gateway), queried back point by point.
 */
class InfluxDbTableSinkITCase {
    private static final long T = 1764144000123L; // 2025-11-26 08:00:00.123 UTC

    private final InfluxServer influx = RealServices.influx();

    private static StreamTableEnvironment tableEnvironment() {
        InMemoryMetrics.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                Configuration.fromMap(InMemoryMetrics.flinkConfig()));
        env.setParallelism(1);
        return StreamTableEnvironment.create(env);
    }

    @Test
    void rowsBecomeExactlyTheirPointsThroughTheV1Api() throws Exception {
        influx.createDatabase("sql_v1");
        StreamTableEnvironment sql = tableEnvironment();
        sql.executeSql("""
                CREATE TABLE weather (
                  site STRING, room INT, temperature DOUBLE, readings BIGINT, level INT, ok BOOLEAN, note STRING,
                  ts TIMESTAMP(3)
                ) WITH (
                  'connector' = 'influxdb', 'api' = 'v1', 'url' = '%s', 'database' = 'sql_v1',
                  'measurement' = 'weather', 'tag-columns' = 'site;room', 'time-column' = 'ts',
                  'flush-interval' = '100 ms'
                )""".formatted(influx.v1Url()));
        sql.executeSql("""
                INSERT INTO weather VALUES
                  ('hall A, east=1 "x"', 2, 21.5, 10, 3, TRUE, 'say "hi" \\ there', TIMESTAMP '2025-11-26 08:00:00.123'),
                  ('roof', CAST(NULL AS INT), CAST(NULL AS DOUBLE), 5, -1, FALSE, CAST(NULL AS STRING),
                   TIMESTAMP '2025-11-26 08:00:01.000'),
                  ('cellar', 1, CAST(NULL AS DOUBLE), CAST(NULL AS BIGINT), CAST(NULL AS INT), CAST(NULL AS BOOLEAN),
                   CAST(NULL AS STRING), TIMESTAMP '2025-11-26 08:00:02.000')
                """).await(60, TimeUnit.SECONDS);

        List<Map<String, String>> points = texts(InfluxQuery.rows(influx, "sql_v1", "SELECT * FROM weather"));
        assertThat(points).containsExactly(
                point("time", "" + T, "room", "2", "level", "3", "note", "say \"hi\" \\ there", "ok", "true",
                        "readings", "10", "site", "hall A, east=1 \"x\"", "temperature", "21.5"),
                point("time", "" + (T + 877), "room", null, "level", "-1", "note", null, "ok", "false",
                        "readings", "5", "site", "roof", "temperature", null));
        assertThat(texts(InfluxQuery.rows(influx, "sql_v1", "SHOW FIELD KEYS FROM weather"))).containsExactly(
                point("fieldKey", "level", "fieldType", "integer"), point("fieldKey", "note", "fieldType", "string"),
                point("fieldKey", "ok", "fieldType", "boolean"), point("fieldKey", "readings", "fieldType", "integer"),
                point("fieldKey", "temperature", "fieldType", "float"));
        assertThat(texts(InfluxQuery.rows(influx, "sql_v1", "SHOW TAG KEYS FROM weather")))
                .containsExactly(point("tagKey", "room"), point("tagKey", "site"));
        assertThat(InMemoryMetrics.count("pointsWithoutFields")).as("the cellar's row, all fields null").isEqualTo(1);
        assertThat(InMemoryMetrics.count("pointsWritten")).isEqualTo(2);
    }

    @Test
    void theV2ApiWithAnEpochMillisTimeOrTheServersTime() throws Exception {
        influx.createDatabase("sql_v2");
        StreamTableEnvironment sql = tableEnvironment();
        String v2 = "'connector' = 'influxdb', 'url' = '%s', 'bucket' = 'sql_v2/autogen', 'org' = 'any', "
                .formatted(influx.url());
        sql.executeSql("CREATE TABLE timed (device STRING, at_ms BIGINT, watts FLOAT, price DECIMAL(6, 2), n SMALLINT)"
                + " WITH (" + v2 + "'measurement' = 'meter', 'tag-columns' = 'device', 'time-column' = 'at_ms')");
        sql.executeSql("CREATE TABLE stamped (device STRING, v DOUBLE)"
                + " WITH (" + v2 + "'measurement' = 'stamped', 'tag-columns' = 'device')");
        long before = System.currentTimeMillis();
        sql.createStatementSet()
                .addInsertSql("INSERT INTO timed VALUES ('m 1', " + T + ", CAST(2.5 AS FLOAT), 12.34, CAST(7 AS SMALLINT)),"
                        + " ('m 1', " + (T + 1000) + ", CAST(3.25 AS FLOAT), 0.5, CAST(-7 AS SMALLINT))")
                .addInsertSql("INSERT INTO stamped VALUES ('s', 1.25)")
                .execute().await(60, TimeUnit.SECONDS);
        long after = System.currentTimeMillis();

        assertThat(texts(InfluxQuery.rows(influx, "sql_v2", "SELECT * FROM meter"))).containsExactly(
                point("time", "" + T, "device", "m 1", "n", "7", "watts", "2.5", "price", "12.34"),
                point("time", "" + (T + 1000), "device", "m 1", "n", "-7", "watts", "3.25", "price", "0.5"));
        assertThat(texts(InfluxQuery.rows(influx, "sql_v2", "SHOW FIELD KEYS FROM meter")))
                .extracting(f -> f.get("fieldKey") + " " + f.get("fieldType"))
                .containsExactly("n integer", "price float", "watts float");
        List<Map<String, Object>> stamped = InfluxQuery.rows(influx, "sql_v2", "SELECT * FROM stamped");
        assertThat(stamped).hasSize(1);
        assertThat(((Number) stamped.get(0).get("time")).longValue()).as("stamped by the server on arrival")
                .isBetween(before, after + 1000);
        assertThat(stamped.get(0).get("v")).isEqualTo(1.25);
    }

    @Test
    void anUpdatingQueryIsRefusedWhenPlanned() {
        StreamTableEnvironment sql = tableEnvironment();
        sql.executeSql("CREATE TABLE counts (site STRING, n BIGINT) WITH ('connector' = 'influxdb', "
                + "'measurement' = 'counts', 'tag-columns' = 'site')");
        sql.executeSql("CREATE TEMPORARY VIEW readings AS SELECT * FROM (VALUES ('a'), ('b'), ('a')) AS r(site)");
        assertThatThrownBy(() -> sql.executeSql("INSERT INTO counts SELECT site, COUNT(*) FROM readings GROUP BY site"))
                .isInstanceOf(TableException.class).hasMessageContaining("doesn't support consuming update changes");
    }

    /** A row's values as text (InfluxDB's JSON has no integer/float distinction: SHOW FIELD KEYS checks the types). */
    private static List<Map<String, String>> texts(List<Map<String, Object>> rows) {
        return rows.stream().map(row -> {
            Map<String, String> text = new TreeMap<>();
            row.forEach((key, value) -> text.put(key, value == null ? null : String.valueOf(value)));
            return text;
        }).collect(Collectors.toList());
    }

    private static Map<String, String> point(String... keyValues) {
        Map<String, String> point = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            point.put(keyValues[i], keyValues[i + 1]);
        }
        return point;
    }
}
