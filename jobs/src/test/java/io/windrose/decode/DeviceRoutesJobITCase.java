package io.windrose.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.DevicePayloads;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example routes of local-cluster/examples/device-routes.yaml, loaded as they are, in a job against real
 * Mosquitto and InfluxDB: each device shape is published through the broker and its aggregates read back.
 */
class DeviceRoutesJobITCase {
    private static final String DB = "devices";

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @Test
    void everyExampleRouteEndsInInfluxDb() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        // device clocks near now: arrival-time readings (format value) share the one watermark with them
        long base = (System.currentTimeMillis() / 10_000) * 10_000 - 20_000;
        jobs.startWithServices(DB, false,
                Files.readString(DeviceRoutesTest.EXAMPLES.resolve("device-routes.yaml")),
                "event-time.max-out-of-orderness=1s",
                "routes.4.avro.schemas=[\"" + DeviceRoutesTest.GATEWAY_SCHEMA + "\"]"); // the file is copied elsewhere
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 3; i++) {
                long t = base + 1_000 * i;
                devices.publish("sensors/site-a/s-1", "{\"sensor\":\"s-1\",\"ts\":" + t + ",\"temperature\":" + (20 + i)
                        + ",\"humidity\":40}");
                devices.publish("zigbee2mqtt/living_room", DevicePayloads.zigbee(t, 21, 40.5 + i, i % 2 == 0));
                devices.publish("tele/plug-1/SENSOR", DevicePayloads.tasmota(t, 90 + i, 230));
                devices.publish("plant/hall-1/line-4/gateway", DeviceRoutesTest.gatewayRecord("press-7", t,
                        Map.of("pressure", 4.0 + i)));
            }
            // after the device-stamped ones: their arrival time (now) moves the watermark past those windows
            for (int i = 0; i < 3; i++) {
                devices.publish("shellies/shellyht-1/sensor/temperature", DevicePayloads.shelly(18 + i));
            }
            // closes every window above, including the shelly readings stamped with their arrival (now)
            devices.publish("sensors/site-a/closer", "{\"sensor\":\"closer\",\"ts\":"
                    + (System.currentTimeMillis() + 30_000) + ",\"temperature\":0}");
        }

        Map<String, Object> canonical = row("SELECT * FROM sensors WHERE sensor = 's-1'", influx);
        assertThat(canonical).containsEntry("site", "site-a").containsEntry("window", "10s");
        assertThat(num(canonical, "temperature_count")).isEqualTo(3);
        assertThat(num(canonical, "temperature_mean")).isEqualTo(21);
        assertThat(num(canonical, "humidity_last")).isEqualTo(40);
        assertThat(num(canonical, "time")).isEqualTo(base);

        Map<String, Object> zigbee = row("SELECT * FROM zigbee", influx);
        assertThat(zigbee).containsEntry("sensor", "living_room").doesNotContainKey("linkquality_count");
        assertThat(num(zigbee, "humidity_mean")).as("numeric strings").isEqualTo(41.5);
        assertThat(num(zigbee, "contact_sum")).as("booleans as 1/0").isEqualTo(2);
        assertThat(num(zigbee, "battery_count")).isEqualTo(3);
        assertThat(num(zigbee, "time")).as("ISO time with Z").isEqualTo(base);

        Map<String, Object> tasmota = row("SELECT * FROM tasmota", influx);
        assertThat(tasmota).containsEntry("sensor", "plug-1").doesNotContainKey("ENERGY_Today_count");
        assertThat(num(tasmota, "power_max")).isEqualTo(92);
        assertThat(num(tasmota, "voltage_count")).isEqualTo(3);
        assertThat(num(tasmota, "time")).as("local Berlin time read in its zone").isEqualTo(base);

        Map<String, Object> gateway = row("SELECT * FROM gateway", influx);
        assertThat(gateway).containsEntry("sensor", "press-7").containsEntry("line", "hall-1/line-4");
        assertThat(num(gateway, "pressure_sum")).isEqualTo(15);
        assertThat(num(gateway, "time")).isEqualTo(base);

        // arrival-stamped: the three may fall into two windows
        List<Map<String, Object>> shelly = Await.until(() -> InfluxQuery.rows(influx, DB,
                "SELECT * FROM shelly"), r -> r.stream().mapToDouble(x -> num(x, "temperature_count")).sum() >= 3,
                Duration.ofSeconds(60));
        assertThat(shelly).allSatisfy(r -> assertThat(r).containsEntry("sensor", "shellyht-1"));
        assertThat(shelly.stream().mapToDouble(r -> num(r, "temperature_count")).sum()).isEqualTo(3);
        assertThat(shelly.stream().mapToDouble(r -> num(r, "temperature_sum")).sum()).isEqualTo(57);
    }

    private static Map<String, Object> row(String select, InfluxServer influx) {
        List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, DB, select), r -> !r.isEmpty(),
                Duration.ofSeconds(60));
        assertThat(rows).as(select).hasSize(1);
        return rows.get(0);
    }

    private static double num(Map<String, Object> row, String column) {
        Object value = row.get(column);
        assertThat(value).as(column + " in " + row).isInstanceOf(Number.class);
        return ((Number) value).doubleValue();
    }
}
