package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackOverridesTest {
    private static final StackPorts PORTS = StackPorts.base(30000, port -> true);

    @TempDir
    Path dir;

    @Test
    void addressesLeftOutOrOfTheStacksDefaultsPointAtTheStacksPorts() throws IOException {
        assertThat(overrides("routes: []\n", true)).containsExactly(
                "mqtt.servers=[tcp://127.0.0.1:30000]",
                "sinks.influxdb.url=http://127.0.0.1:30003",
                "sinks.kafka.bootstrap-servers=127.0.0.1:30001",
                "job.flink-config[rest.bind-port]=30007",
                "job.flink-config[metrics.reporter.prom.factory.class]=" + StackOverrides.FLINK_PROMETHEUS,
                "job.flink-config[metrics.reporter.prom.port]=30008");
        assertThat(overrides("""
                mqtt: {servers: [tcp://localhost:1883]}
                sinks:
                  influxdb: {url: "${INFLUX_URL:-http://127.0.0.1:8086}"}
                  kafka: {bootstrap-servers: "127.0.0.1:9092"}
                """, false)).containsExactly(
                "mqtt.servers=[tcp://127.0.0.1:30000]",
                "sinks.influxdb.url=http://127.0.0.1:30003",
                "sinks.kafka.bootstrap-servers=127.0.0.1:30001");
    }

    @Test
    void theStacksAlertmanagerAsTheRulesDefaultPointsAtItsPort() throws IOException {
        assertThat(overrides("actions: {alertmanager: {url: http://127.0.0.1:9095}}\n", false))
                .contains("actions.alertmanager.url=http://127.0.0.1:30011");
        assertThat(overrides("actions: {alertmanager: {url: [http://alertmanager.example:9093]}}\n", false))
                .noneMatch(override -> override.startsWith("actions.alertmanager"));
        assertThat(overrides("routes: []\n", false)).noneMatch(override -> override.startsWith("actions"));
    }

    @Test
    void yourOwnServicesAndOutputsTurnedOffStayAsThePipelineSays() throws IOException {
        List<String> log = new ArrayList<>();
        assertThat(StackOverrides.of(write("""
                mqtt: {servers: [tcp://broker.example:1883]}
                sinks:
                  influxdb: {url: "http://127.0.0.1:8087"}
                  kafka: null
                """), PORTS, false, Map.of("X", "y")::get, log)).isEmpty();
        assertThat(log).anyMatch(line -> line.contains("tcp://broker.example:1883") && line.contains("as the pipeline says"))
                .anyMatch(line -> line.contains("sinks.kafka: off"));
        assertThat(overrides("sinks: {kafka: {enabled: false}, influxdb: {enabled: false}}\n", false))
                .containsExactly("mqtt.servers=[tcp://127.0.0.1:30000]");
        assertThat(StackOverrides.of(write("sinks: {kafka: {bootstrap-servers: \"${KAFKA}\"}}\n"), PORTS, false,
                Map.of("KAFKA", "kafka-1:9092,kafka-2:9092")::get, new ArrayList<>()))
                .noneMatch(override -> override.startsWith("sinks.kafka"));
    }

    private List<String> overrides(String yaml, boolean miniCluster) throws IOException {
        return StackOverrides.of(write(yaml), PORTS, miniCluster, name -> null, new ArrayList<>());
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pipeline.yaml"), yaml);
    }
}
