package io.windrose.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.ManagedProcess;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.testing.RealServices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar jobs/target/windrose-job.jar sql local-cluster/examples/fan.sql} as the docs run it, from the
 * repository's root, against real Mosquitto and influxd ({@link FanExample}), while 127.0.0.1:8081 and :9249 (a
 * Windrose job's Web UI and metrics) are taken: it runs, listens on 127.0.0.1 only and on neither of those ports, and
 * SIGTERM cancels its job (exit 0).
 */
class FanSqlITCase {
    private static final Path ROOT = Path.of(System.getProperty("windrose.root", "../..")).toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("windrose.job.jar", "../target/windrose-job.jar"));

    @TempDir
    Path dir;

    @Test
    void fanSqlRunsBesideAWindroseJob() throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        InfluxServer influx = RealServices.influx();
        List<ServerSocket> jobPorts = takeIfFree(8081, 9249);
        try (ManagedProcess sql = ManagedProcess.start("windrose-sql", List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                JAR.toAbsolutePath().toString(), "sql", FanExample.SCRIPT), ROOT, dir.resolve("sql.log"),
                FanExample.environment(mosquitto, influx))) {
            try {
                FanExample.publishAndCheck(mosquitto, influx);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("windrose sql " + FanExample.SCRIPT + ": " + e.getMessage() + "\nits output:\n"
                        + sql.tail(), e);
            }
            assertThat(sql.logLines()).as("the job it started, on stdout").anyMatch(line -> line.startsWith("job ")
                    && line.contains(": EXECUTE STATEMENT SET"));
            assertThat(sql.logLines()).as("the payload that is not JSON: skipped, not silently").anyMatch(line ->
                    line.contains("The table's format made no row of a message on sensors/site-a/s-2"));

            Map<Integer, Set<String>> listening = Ports.listening(sql.pid());
            assertThat(listening.values()).as("listens on 127.0.0.1 only: " + listening)
                    .allMatch(addresses -> addresses.equals(Set.of("127.0.0.1")));
            assertThat(listening).as("not on a Windrose job's Web UI or metrics port").doesNotContainKeys(8081, 9249);

            sql.stop(Duration.ofSeconds(60));
            assertThat(sql.awaitExit(Duration.ofSeconds(5))).as("SIGTERM cancels its job: " + sql.tail()).isZero();
        } finally {
            for (ServerSocket socket : jobPorts) {
                socket.close();
            }
        }
    }

    /** Takes each of {@code ports} on 127.0.0.1 if nothing else has it, as a Windrose job running beside would. */
    private static List<ServerSocket> takeIfFree(int... ports) {
        List<ServerSocket> taken = new ArrayList<>();
        for (int port : ports) {
            try {
                taken.add(new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1")));
            } catch (IOException e) {
                // taken already (a Windrose job, another test): just as good
            }
        }
        return taken;
    }
}
