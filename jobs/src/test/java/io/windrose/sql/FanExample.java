package io.windrose.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestSubscriber;
import io.windrose.testing.TestSubscriber.Received;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The example {@code local-cluster/examples/fan.sql} against real Mosquitto and influxd, however it is run
 * ({@code java -jar … sql}, {@code flink run … windrose-job-cluster.jar sql}): readings of two sensors, one that goes
 * above 30 and back, one that stays cool, and a non-JSON payload; then the fan commands and the one-minute means.
 */
public final class FanExample {
    /** The script, relative to the repository's root. */
    public static final String SCRIPT = "local-cluster/examples/fan.sql";
    /** Its MQTT client id prefix (a source reader n connects as {@code <prefix>-<n>}). */
    public static final String CLIENT_ID_PREFIX = "windrose-sql-fan";

    private FanExample() {}

    /** Where the script finds the broker and InfluxDB, as the launcher sets them from the local stack's endpoints. */
    public static Map<String, String> environment(MosquittoServer mosquitto, InfluxServer influx) {
        influx.createDatabase("telemetry");
        return Map.of("MQTT_URL", mosquitto.uri(), "INFLUX_URL", influx.url());
    }

    /** Once the script's source subscribed: publishes the readings and checks what the script makes of them. */
    public static void publishAndCheck(MosquittoServer mosquitto, InfluxServer influx) throws Exception {
        mosquitto.awaitSubscription(CLIENT_ID_PREFIX, "sensors/+/+", Duration.ofSeconds(120));
        long minute = (System.currentTimeMillis() / 60_000 - 10) * 60_000; // ten minutes ago, a whole minute
        try (TestSubscriber fans = new TestSubscriber(mosquitto.port(), "devices/+/fan/set");
                TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publish("sensors/site-a/s-1", reading("s-1", minute + 1_000, 25.0));
            devices.publish("sensors/site-a/s-2", reading("s-2", minute + 1_000, 20.0));
            devices.publish("sensors/site-a/s-1", reading("s-1", minute + 2_000, 31.5));
            devices.publish("sensors/site-a/s-2", reading("s-2", minute + 2_000, 22.0));
            devices.publish("sensors/site-a/s-1", reading("s-1", minute + 3_000, 29.0));
            devices.publish("sensors/site-a/s-2", "not json: skipped");
            // a minute and ten seconds later: the watermark (5 s behind) passes the first minute's end
            devices.publish("sensors/site-a/s-1", reading("s-1", minute + 70_000, 28.0));
            devices.publish("sensors/site-a/s-2", reading("s-2", minute + 70_000, 21.0));

            List<Received> commands = fans.await(2, Duration.ofSeconds(60));
            assertThat(commands).as("ON above 30, OFF back at or below; nothing for a sensor that stays cool")
                    .extracting(Received::topic, Received::payload)
                    .containsExactly(tuple("devices/s-1/fan/set", "ON"), tuple("devices/s-1/fan/set", "OFF"));

            String query = "SELECT temperature_mean FROM sql_sensors_1m WHERE time = '" + Instant.ofEpochMilli(minute)
                    + "' GROUP BY sensor";
            List<Map<String, Object>> means = Await.until(() -> InfluxQuery.rows(influx, "telemetry", query),
                    rows -> rows.size() >= 2, Duration.ofSeconds(60));
            assertThat(means).extracting(row -> ((Number) row.get("temperature_mean")).doubleValue())
                    .as("the one-minute means of s-1 and s-2").containsExactlyInAnyOrder((25.0 + 31.5 + 29.0) / 3, 21.0);
        }
    }

    private static String reading(String sensor, long ts, double temperature) {
        return String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"ts\":%d,\"temperature\":%.1f,\"humidity\":40.0}", sensor,
                ts, temperature);
    }
}
