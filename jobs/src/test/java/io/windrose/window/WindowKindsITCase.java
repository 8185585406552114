package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import io.windrose.window.WindowOracle.Event;
import io.windrose.window.WindowOracle.Key;
import io.windrose.window.WindowOracle.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Windows, tiers and statistics through the real broker and InfluxDB: the documented example (stdev and percentiles of
 * 1…100, a 1 m tier whose count is the sum of its 10 s windows); a generated case equal to {@link WindowOracle} in
 * every window, tier and statistic as InfluxDB stores them; a session merged by a late reading replaces its points
 * (through the v2 API and the 1.x API).
 */
class WindowKindsITCase {
    private static final long T0 = 1764144000000L; // a multiple of 1 h

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void stdevPercentilesAndAOneMinuteTierInTheSameMeasurement() throws Exception {
        jobs.startWithServices("kinds", false, """
                routes:
                  - name: kinds
                    topic-template: kinds/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                """, "window.tiers=[1m]", "window.stats=[count, mean, stdev, p50, p99]");
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            for (int v = 1; v <= 100; v++) { // one 10 s window: temperature 1…100
                device.publish("kinds/s-1", reading(T0 + v * 90L, v));
            }
            for (int i = 0; i < 7; i++) { // and two more windows of the same minute
                device.publish("kinds/s-1", reading(T0 + 20_000 + i * 1_000L, 10));
            }
            device.publish("kinds/s-1", reading(T0 + 45_000, 20));
            device.publish("kinds/closer", reading(T0 + 300_000, 0));
        }
        List<Map<String, Object>> tenSeconds = Await.until(() -> InfluxQuery.rows(influx, "kinds",
                "SELECT * FROM kinds WHERE sensor = 's-1' AND \"window\" = '10s'"), r -> r.size() >= 3, Duration.ofSeconds(60));
        Map<String, Object> first = tenSeconds.get(0);
        assertThat(num(first, "time")).isEqualTo(T0);
        assertThat(num(first, "temperature_count")).isEqualTo(100);
        assertThat(num(first, "temperature_mean")).isEqualTo(50.5);
        assertThat(num(first, "temperature_stdev")).isCloseTo(29.01, within(0.01));
        assertThat(num(first, "temperature_p50")).isCloseTo(50, withPercentage(1));
        assertThat(num(first, "temperature_p99")).isCloseTo(99, withPercentage(1));
        assertThat(first).as("only the chosen statistics").doesNotContainKeys("temperature_min", "temperature_sum");

        List<Map<String, Object>> minute = Await.until(() -> InfluxQuery.rows(influx, "kinds",
                "SELECT * FROM kinds WHERE sensor = 's-1' AND \"window\" = '1m'"), r -> !r.isEmpty(), Duration.ofSeconds(60));
        assertThat(minute).hasSize(1);
        assertThat(num(minute.get(0), "time")).isEqualTo(T0);
        assertThat(num(minute.get(0), "temperature_count")).as("the sum of its 10 s windows")
                .isEqualTo(tenSeconds.stream().mapToDouble(r -> num(r, "temperature_count")).sum()).isEqualTo(108);
        assertThat(num(minute.get(0), "temperature_p99")).isCloseTo(99, withPercentage(1));
    }

    @Test
    void aGeneratedCaseThroughTheBrokerEqualsTheOracle() throws Exception {
        // disorder within the out-of-orderness and no late readings: nothing depends on when watermarks go out
        WindowStageOracleTest.Case generated = new WindowStageOracleTest.Case(3, 120, 0, 6, 20261201L);
        List<Event> events = WindowStageOracleTest.events(generated, "g", T0, 800, 2_000);
        WindowConfig window = new WindowConfig();
        window.size = Duration.ofSeconds(2);
        window.tiers = List.of(Duration.ofSeconds(10));
        window.stats = List.of(Stat.values());
        WindowOracle.Result expected = WindowOracle.compute(events, window, 0, 32);
        assertThat(expected.late()).isEmpty();

        jobs.startWithServices("oracle", false, """
                routes:
                  - name: oracle
                    topic-template: oracle/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                """, "window.size=2s", "window.tiers=[10s]",
                "window.stats=[count, min, max, mean, sum, last, first, stdev, p50, p90, p95, p99]");
        List<String> topics = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (Event event : events) {
            topics.add("oracle/" + event.sensor());
            StringBuilder payload = new StringBuilder("{\"ts\":" + event.time());
            event.fields().forEach((field, value) -> payload.append(",\"").append(field).append("\":").append(value));
            payloads.add(payload.append('}').toString());
        }
        topics.add("oracle/closer");
        payloads.add("{\"ts\":" + (T0 + 3_600_000) + ",\"t\":0}");
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE); // one connection: arrival in this order
        }

        Map<Key, Map<String, Object>> stored = Await.until(() -> points("oracle"),
                p -> p.keySet().containsAll(expected.windows().keySet()), Duration.ofSeconds(90));
        assertThat(stored.keySet()).isEqualTo(expected.windows().keySet());
        for (Map.Entry<Key, Map<String, List<Value>>> window1 : expected.windows().entrySet()) {
            Map<String, Object> point = stored.get(window1.getKey());
            for (Map.Entry<String, List<Value>> field : window1.getValue().entrySet()) {
                List<Value> values = field.getValue();
                String f = field.getKey();
                String at = window1.getKey() + " " + f + " " + values;
                assertThat(num(point, f + "_count")).as(at).isEqualTo(values.size());
                assertThat(num(point, f + "_min")).as(at).isEqualTo(WindowOracle.min(values));
                assertThat(num(point, f + "_max")).as(at).isEqualTo(WindowOracle.max(values));
                assertThat(num(point, f + "_first")).as(at).isEqualTo(WindowOracle.first(values));
                assertThat(num(point, f + "_last")).as(at).isEqualTo(WindowOracle.last(values));
                assertThat(num(point, f + "_sum")).as(at).isCloseTo(WindowOracle.sum(values), within(1e-6));
                assertThat(num(point, f + "_mean")).as(at).isCloseTo(WindowOracle.mean(values), within(1e-6));
                Double stdev = WindowOracle.stdev(values);
                if (stdev == null) {
                    assertThat(point.get(f + "_stdev")).as(at).isNull();
                } else {
                    assertThat(num(point, f + "_stdev")).as(at).isCloseTo(stdev, within(1e-6));
                }
                for (Stat p : List.of(Stat.P50, Stat.P90, Stat.P95, Stat.P99)) {
                    double exact = WindowOracle.percentile(values, p.quantile());
                    assertThat(Math.abs(num(point, f + "_" + p) - exact)).as(at + " " + p)
                            .isLessThanOrEqualTo(0.01 * Math.abs(exact) + 1e-9);
                }
            }
        }
    }

    @ParameterizedTest(name = "InfluxDB API {0}")
    @ValueSource(strings = {"v2", "v1"})
    void aSessionMergedByALateReadingReplacesItsPoints(String api) throws Exception {
        String name = "sessions_" + api;
        List<String> overrides = new ArrayList<>(List.of("window.session-gap=5s", "window.stats=[count, min, max]"));
        if (api.equals("v1")) {
            overrides.addAll(List.of("sinks.influxdb.api=v1", "sinks.influxdb.url=" + influx.v1Url(),
                    "sinks.influxdb.database=" + name));
        }
        jobs.startWithServices(name, false, """
                routes:
                  - name: sessions
                    topic-template: %s/{sensor}
                event-time:
                  max-out-of-orderness: 0s
                  allowed-lateness: 1h
                """.formatted(name), overrides.toArray(String[]::new));
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            for (long second : new long[] {0, 1, 2, 10, 11}) { // sessions [0 s, 7 s) and [10 s, 16 s)
                device.publish(name + "/door", reading(T0 + second * 1_000, second));
            }
            device.publish(name + "/closer", reading(T0 + 60_000, 0));
        }
        String select = "SELECT * FROM sessions WHERE sensor = 'door'";
        // influxd 1.x puts each field of a point into its cache on its own: a query during the write can see some
        // of them (seen once: a row with temperature_count only), so wait for the last field written too
        List<Map<String, Object>> two = Await.until(() -> InfluxQuery.rows(influx, name, select),
                r -> r.size() == 2 && r.stream().allMatch(row -> row.get("window_end") != null), Duration.ofSeconds(60));
        assertThat(two).hasSize(2).extracting(r -> (long) num(r, "time") - T0).containsExactly(0L, 10_000L);
        assertThat(two).extracting(r -> (long) num(r, "window_end") - T0).containsExactly(7_000L, 16_000L);

        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            device.publish(name + "/door", reading(T0 + 6_000, 6)); // [6 s, 11 s) bridges them
        }
        List<Map<String, Object>> merged = Await.until(() -> InfluxQuery.rows(influx, name, select),
                r -> r.size() == 1 && num(r.get(0), "temperature_count") == 6 && r.get(0).get("window_end") != null
                        && r.get(0).get("temperature_max") != null, Duration.ofSeconds(60));
        assertThat(merged).as("the session at 10 s was merged away: its point is deleted").hasSize(1);
        assertThat(num(merged.get(0), "temperature_count")).isEqualTo(6);
        assertThat(num(merged.get(0), "time")).isEqualTo(T0);
        assertThat(num(merged.get(0), "window_end")).isEqualTo(T0 + 16_000);
        assertThat(num(merged.get(0), "temperature_max")).isEqualTo(11);
    }

    private Map<Key, Map<String, Object>> points(String db) {
        Map<Key, Map<String, Object>> points = new TreeMap<>(java.util.Comparator.comparing(Key::sensor)
                .thenComparing(Key::window).thenComparingLong(Key::start));
        for (Map<String, Object> row : InfluxQuery.rows(influx, db, "SELECT * FROM " + db + " WHERE sensor != 'closer'")) {
            points.put(new Key((String) row.get("sensor"), (String) row.get("window"), (long) num(row, "time")), row);
        }
        return points;
    }

    private static String reading(long ts, double temperature) {
        return "{\"ts\":" + ts + ",\"temperature\":" + temperature + "}";
    }

    private static double num(Map<String, Object> row, String column) {
        Object value = row.get(column);
        assertThat(value).as(column + " in " + row).isNotNull();
        return ((Number) value).doubleValue();
    }
}
