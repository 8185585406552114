package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.FlinkJvmOptions;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.ManagedProcess;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.sql.FanExample;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * {@code windrose-job-cluster.jar} as a Flink cluster gets it: without Flink inside, and run by Flink's own CLI
 * ({@code flink run}, which loads the jar through {@code PackagedProgram} into a user-code class loader) in a JVM whose
 * class path holds only what a Flink cluster provides — the jar's own dependencies must all be in the jar. The CLI's
 * {@code -t local} target runs the job in a MiniCluster inside that JVM, against the test's real Mosquitto and InfluxDB.
 */
class ClusterJarITCase {
    private static final Path JAR = Path.of(System.getProperty("windrose.cluster.jar", "target/windrose-job-cluster.jar"));
    private static final Path FLINK_CLASSPATH = Path.of(System.getProperty("windrose.flink.classpath",
            "../local-cluster/flink/target/flink.classpath"));

    @Test
    void theClusterJarLeavesOutFlinkAndEverythingFlinkBrings() throws IOException {
        List<String> offending = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (ZipEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith("org/apache/flink/runtime/") || name.startsWith("org/apache/flink/streaming/api/")
                        || name.startsWith("one/profiler/") || name.toLowerCase().contains("asyncprofiler")
                        || name.startsWith("org/apache/flink/configuration/") || name.startsWith("org/apache/log4j")
                        || name.startsWith("org/apache/logging/log4j/") || name.startsWith("org/slf4j/")
                        // Flink SQL: the table API, the planner (and its loader), json and csv are in a distribution's lib/
                        || name.startsWith("org/apache/flink/table/api/") || name.startsWith("org/apache/flink/table/planner")
                        || name.equals("flink-table-planner.jar") || name.startsWith("org/apache/flink/formats/json/")
                        || name.startsWith("org/apache/flink/formats/csv/")) {
                    offending.add(name);
                }
            }
            assertThat(offending).as("Flink, its logging or async-profiler in " + JAR).isEmpty();
            assertThat(jar.getEntry("io/windrose/WindroseJob.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/kafka/sink/KafkaSink.class")).as("connectors are not in Flink")
                    .isNotNull();
            assertThat(jar.getEntry("picocli/CommandLine.class")).as("the command line").isNotNull();
            assertThat(new String(jar.getInputStream(jar.getEntry("META-INF/services/org.apache.flink.table.factories.Factory"))
                    .readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList())
                    .as("the table factories of windrose sql that a Flink distribution lacks")
                    .contains("io.windrose.flink.connector.mqtt.table.MqttDynamicTableFactory",
                            "io.windrose.sink.table.InfluxDbDynamicTableFactory",
                            "org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicTableFactory",
                            "org.apache.flink.formats.avro.AvroFormatFactory");
            assertThat(jar.getEntry("io/windrose/cli/windrose-version.properties")).as("windrose --version").isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(WindroseJob.class.getName());
        }
    }

    @Test
    void flinkRunLoadsTheJarAndTheJobWritesItsAggregates() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        String name = "clusterjar";
        influx.createDatabase(name);
        Path dir = RealServices.newDirectory("flink-run");
        Path pipeline = dir.resolve("pipeline.yaml");
        Files.writeString(pipeline, TestPipelines.services(name, mosquitto, influx, name, null) + """
                routes:
                  - name: readings
                    topic-template: clusterjar/{site}/{sensor}
                event-time:
                  max-out-of-orderness: 1s
                """);
        Path cli = Files.createDirectories(dir.resolve("cli"));
        Files.createDirectories(cli.resolve("conf"));
        Files.writeString(cli.resolve("conf/config.yaml"), "parallelism.default: 1\n");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FlinkJvmOptions.MODULE_OPTIONS);
        command.addAll(List.of("-Xmx512m", "-cp", Files.readString(FLINK_CLASSPATH).trim(),
                "org.apache.flink.client.cli.CliFrontend", "run", "-t", "local", "-c", WindroseJob.class.getName(),
                JAR.toAbsolutePath().toString(), "--config", pipeline.toString()));
        // the CLI finds its configuration in ./conf of its working directory
        Path log = dir.resolve("flink-run.log");
        try (ManagedProcess flinkRun = ManagedProcess.start("flink-run", command, cli, log)) {
            runAndCheck(flinkRun, mosquitto, influx, name);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("flink run of " + JAR + " failed; its output:\n" + Files.readString(log), e);
        }
    }

    @Test
    void theCommandLineAnswersUnderFlinksCli() throws Exception {
        // flink run passes what follows the jar to main: windrose's commands work there too, with the cluster's Flink
        Path dir = RealServices.newDirectory("flink-run-cli");
        Path cli = Files.createDirectories(dir.resolve("cli"));
        Files.createDirectories(cli.resolve("conf"));
        Files.writeString(cli.resolve("conf/config.yaml"), "parallelism.default: 1\n");

        String version = flinkRun(cli, dir.resolve("version.log"), "--version");
        assertThat(version).contains("Windrose ", "(commit ", "Flink 2.2.1");

        Path pipeline = Path.of("../local-cluster/pipeline.yaml").toAbsolutePath().normalize();
        assertThat(flinkRun(cli, dir.resolve("check.log"), "check", "--config", pipeline.toString()))
                .contains("windrose check: " + pipeline + " is valid: ");
    }

    @Test
    void flinkRunRunsTheFanSqlExample() throws Exception {
        // the planner and the json format from Flink's class path, the mqtt and influxdb tables from the jar
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        Path dir = RealServices.newDirectory("flink-run-sql");
        Path cli = Files.createDirectories(dir.resolve("cli"));
        Files.createDirectories(cli.resolve("conf"));
        Files.writeString(cli.resolve("conf/config.yaml"), "parallelism.default: 1\nexecution.checkpointing.interval: 2 s\n");
        Path script = Path.of("..", FanExample.SCRIPT).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FlinkJvmOptions.MODULE_OPTIONS);
        command.addAll(List.of("-Xmx512m", "-cp", Files.readString(FLINK_CLASSPATH).trim(),
                "org.apache.flink.client.cli.CliFrontend", "run", "-t", "local", JAR.toAbsolutePath().toString(), "sql",
                script.toString()));
        Path log = dir.resolve("flink-run-sql.log");
        try (ManagedProcess flinkRun = ManagedProcess.start("flink-run-sql", command, cli, log,
                FanExample.environment(mosquitto, influx))) {
            FanExample.publishAndCheck(mosquitto, influx);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("flink run " + JAR + " sql " + script + " failed; its output:\n" + Files.readString(log), e);
        }
    }

    /** {@code flink run -t local -c io.windrose.WindroseJob windrose-job-cluster.jar ARGS}: its output; exit 0 expected. */
    private static String flinkRun(Path cli, Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(FlinkJvmOptions.MODULE_OPTIONS);
        command.addAll(List.of("-Xmx256m", "-cp", Files.readString(FLINK_CLASSPATH).trim(),
                "org.apache.flink.client.cli.CliFrontend", "run", "-t", "local", "-c", WindroseJob.class.getName(),
                JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        try (ManagedProcess flinkRun = ManagedProcess.start("flink-run", command, cli, log)) {
            int exit = flinkRun.awaitExit(Duration.ofSeconds(90));
            String output = Files.readString(log);
            assertThat(exit).as(output).isZero();
            return output;
        }
    }

    private static void runAndCheck(ManagedProcess flinkRun, MosquittoServer mosquitto, InfluxServer influx, String name) {
        {
            mosquitto.awaitSubscription(name + "-0", "clusterjar/+/+", Duration.ofSeconds(90));
            long t0 = 1764144000000L;
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                for (int i = 0; i < 10; i++) {
                    devices.publish("clusterjar/site-a/s-1", "{\"sensor\":\"s-1\",\"ts\":" + (t0 + i * 1_000)
                            + ",\"temperature\":" + i + "}");
                }
                devices.publish("clusterjar/site-a/closer", "{\"sensor\":\"closer\",\"ts\":" + (t0 + 60_000)
                        + ",\"temperature\":0}");
            }
            List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, name,
                    "SELECT temperature_count, temperature_sum FROM readings WHERE sensor = 's-1'"),
                    r -> !r.isEmpty(), Duration.ofSeconds(90));
            assertThat(rows).hasSize(1);
            assertThat(((Number) rows.get(0).get("temperature_count")).longValue()).isEqualTo(10);
            assertThat(((Number) rows.get(0).get("temperature_sum")).doubleValue()).isEqualTo(45);
            assertThat(flinkRun.isAlive()).as("flink run still attached to the running job").isTrue();
        }
    }
}
