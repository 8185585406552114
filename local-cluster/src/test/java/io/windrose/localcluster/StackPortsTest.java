package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackPortsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheServicesOwnPorts() {
        StackPorts ports = StackPorts.freeDefaults(port -> true, () -> { throw new AssertionError(); }, new ArrayList<>());
        assertThat(ports).isEqualTo(StackPorts.defaults());
        assertThat(ports.endpoints()).containsExactly(
                Map.entry("MQTT_PORT", "1883"),
                Map.entry("MQTT_URL", "tcp://127.0.0.1:1883"),
                Map.entry("KAFKA", "127.0.0.1:9092"),
                Map.entry("INFLUX_PORT", "8086"),
                Map.entry("INFLUX_URL", "http://127.0.0.1:8086"),
                Map.entry("PROMETHEUS_URL", "http://127.0.0.1:9090"),
                Map.entry("ALERTMANAGER_URL", "http://127.0.0.1:9095"),
                Map.entry("FLINK_URL", "http://127.0.0.1:8081"),
                Map.entry("METRICS_PORT", "9249"),
                Map.entry("METRICS_PORTS", "9249,9250,9251"),
                Map.entry("WINDROSE_BOOTSTRAP_SERVERS", "127.0.0.1:9092"));
    }

    @Test
    void aTakenDefaultIsReplacedByAFreePortAndSaysSo() {
        AtomicInteger next = new AtomicInteger(40000);
        List<String> moved = new ArrayList<>();
        // 1883 and 8081 taken; the free-port source first offers a default and a repeat, which are skipped
        List<Integer> offers = new ArrayList<>(List.of(9092, 40001, 40001, 40002));
        StackPorts ports = StackPorts.freeDefaults(port -> port != 1883 && port != 8081,
                () -> offers.isEmpty() ? next.incrementAndGet() : offers.remove(0), moved);
        assertThat(ports.mqtt()).isEqualTo(40001);
        assertThat(ports.flink()).isEqualTo(40002);
        assertThat(ports.kafka()).isEqualTo(9092);
        assertThat(moved).containsExactly("MQTT: 1883 is in use, 40001 instead",
                "Flink REST API / Web UI: 8081 is in use, 40002 instead");
        Set<Integer> distinct = new HashSet<>(ports.all());
        assertThat(distinct).hasSize(StackPorts.SPAN);
    }

    @Test
    void portsBaseTakesTwelvePortsAtFixedOffsetsOrFailsNamingTheTakenOnes() {
        StackPorts ports = StackPorts.base(21000, port -> true);
        assertThat(ports.all()).containsExactly(21000, 21001, 21002, 21003, 21004, 21005, 21006, 21007, 21008, 21009, 21010,
                21011);
        assertThat(ports.mqtt()).isEqualTo(21000);
        assertThat(ports.influx()).isEqualTo(21003);
        assertThat(ports.flink()).isEqualTo(21007);
        assertThat(ports.metrics()).isEqualTo(21008);
        assertThat(ports.alertmanager()).isEqualTo(21011);
        assertThatThrownBy(() -> StackPorts.base(21000, port -> port != 21006 && port != 21011))
                .hasMessageContaining("21006 (Prometheus)").hasMessageContaining("21011 (Alertmanager)")
                .hasMessageContaining("21000-21011");
        assertThatThrownBy(() -> StackPorts.base(80, port -> true)).hasMessageContaining("1024");
        assertThatThrownBy(() -> StackPorts.base(65525, port -> true)).hasMessageContaining("65524");
    }

    @Test
    void alertmanagerIsNotOnItsOwnDefaultPortWhichIsKafkasController() {
        StackPorts ports = StackPorts.defaults();
        assertThat(ports.alertmanager()).isEqualTo(9095);
        assertThat(ports.kafkaController()).isEqualTo(9093);
        assertThat(new HashSet<>(ports.all())).hasSize(StackPorts.SPAN).doesNotContain(9094); // nor its gossip port
    }

    @Test
    void theEndpointsFileOfAStackWithoutAlertmanagerStillReads() {
        Map<String, String> old = new java.util.LinkedHashMap<>(StackPorts.defaults().endpoints());
        old.remove("ALERTMANAGER_URL");
        StackPorts read = StackPorts.fromEndpoints(old);
        assertThat(read.mqtt()).isEqualTo(1883);
        assertThat(read.alertmanager()).isZero();
    }

    @Test
    void theEndpointsFileReadsBack() throws IOException {
        StackPorts ports = StackPorts.base(30000, port -> true);
        List<String> lines = new ArrayList<>(List.of("# a comment"));
        ports.endpoints().forEach((key, value) -> lines.add(key + "=" + value));
        Path file = Files.write(dir.resolve("endpoints"), lines);
        StackPorts read = StackPorts.fromEndpoints(StackPorts.readEndpoints(file));
        assertThat(read.endpoints()).isEqualTo(ports.endpoints());
    }
}
