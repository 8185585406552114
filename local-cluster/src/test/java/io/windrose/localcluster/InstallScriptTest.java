package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local-cluster/install} against stand-ins for apt-get, dpkg and systemctl (a real apt-get cannot run in a test):
 * the stand-in apt-get does what a package's postinst does — asks policy-rc.d whether it may start the package's
 * service — so the test sees which services would have started, and which install disabled afterwards.
 */
class InstallScriptTest {
    private static final Path SCRIPT = Path.of("install").toAbsolutePath();

    @TempDir
    Path dir;
    private Path root;
    private Path bin;
    private Path log;

    @BeforeEach
    void standIns() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("calls.log");
        Files.createFile(log);
        script("dpkg", """
                [ "$1" = -s ] || exit 2
                case " $INSTALLED " in *" $2 "*) exit 0 ;; esac
                exit 1
                """);
        script("apt-get", """
                echo "apt-get $*" >> "$CALLS"
                [ "$1" = install ] || exit 0
                for pkg in "$@"; do
                  case "$pkg" in mosquitto|influxdb|prometheus|prometheus-alertmanager)
                    # what dh_installsystemd's postinst does: deb-systemd-invoke asks policy-rc.d first
                    policy="$WINDROSE_INSTALL_ROOT/usr/sbin/policy-rc.d"
                    if [ -x "$policy" ]; then "$policy" "$pkg.service" start; rc=$?; else rc=0; fi
                    if [ "$rc" = 101 ]; then echo "postinst: $pkg denied" >> "$CALLS"; else echo "postinst: $pkg started" >> "$CALLS"; fi
                  esac
                done
                """);
        script("systemctl", "echo \"systemctl $*\" >> \"$CALLS\"\n");
        script("id", "echo 0\n");
    }

    @Test
    void nothingMissingDoesNothingAndSaysNothing() throws Exception {
        Result result = run("openjdk-17-jdk-headless maven mosquitto mosquitto-clients influxdb influxdb-client kcat prometheus"
                + " prometheus-alertmanager", true);
        assertThat(result.exit()).isZero();
        assertThat(result.output()).isEmpty();
        assertThat(Files.readString(log)).isEmpty();
    }

    @Test
    void theServicesOfPackagesItInstallsDoNotStartAndAreDisabledOnlyThose() throws Exception {
        // the user had Mosquitto (and its service): only InfluxDB, Prometheus and Alertmanager are installed now
        Result result = run("mosquitto mosquitto-clients kcat", true);
        assertThat(result.exit()).as(result.output()).isZero();
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).contains("apt-get install -y -qq --no-install-recommends influxdb influxdb-client prometheus"
                + " prometheus-alertmanager",
                "postinst: influxdb denied", "postinst: prometheus denied", "postinst: prometheus-alertmanager denied",
                "systemctl disable --now influxdb.service", "systemctl disable --now prometheus.service",
                "systemctl disable --now prometheus-alertmanager.service");
        assertThat(calls).noneMatch(call -> call.contains("mosquitto"));
        assertThat(root.resolve("usr/sbin/policy-rc.d")).as("the temporary policy is gone").doesNotExist();
        assertThat(result.output()).contains(
                "the services of influxdb prometheus prometheus-alertmanager are not running and not enabled");
    }

    @Test
    void aPolicyOfTheMachineIsLeftAsItIsAndWhatItStartedIsStopped() throws Exception {
        Path policy = Files.createDirectories(root.resolve("usr/sbin")).resolve("policy-rc.d");
        Files.writeString(policy, "#!/bin/sh\n# the machine's own\nexit 0\n");
        policy.toFile().setExecutable(true);
        Result result = run("kcat", true);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readString(policy)).isEqualTo("#!/bin/sh\n# the machine's own\nexit 0\n");
        assertThat(Files.readAllLines(log)).contains("postinst: mosquitto started",
                "systemctl disable --now mosquitto.service", "systemctl disable --now influxdb.service",
                "systemctl disable --now prometheus.service", "systemctl disable --now prometheus-alertmanager.service");
    }

    @Test
    void aMachineWithEverythingButAlertmanagerGetsOnlyAlertmanagerAndItsServiceStaysOff() throws Exception {
        // an older install: everything but prometheus-alertmanager; Prometheus's service (the user's by now) is untouched
        Result result = run("mosquitto mosquitto-clients influxdb influxdb-client kcat prometheus", true);
        assertThat(result.exit()).as(result.output()).isZero();
        List<String> calls = Files.readAllLines(log);
        assertThat(calls).contains("apt-get install -y -qq --no-install-recommends prometheus-alertmanager",
                "postinst: prometheus-alertmanager denied", "systemctl disable --now prometheus-alertmanager.service");
        assertThat(calls).noneMatch(call -> call.contains("prometheus.service") || call.contains("influxdb"));
        assertThat(result.output()).contains("the services of prometheus-alertmanager are not running and not enabled");
    }

    @Test
    void withoutSystemdNothingIsAskedOfSystemctl() throws Exception {
        Result result = run("", false);
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(Files.readAllLines(log)).contains("postinst: mosquitto denied").noneMatch(c -> c.startsWith("systemctl"));
    }

    @Test
    void withoutAptGetItListsWhatToInstallAndFails() throws Exception {
        // a PATH with the shell's tools and nothing else: no apt-get, no dpkg, no Java, no services
        Path bare = Files.createDirectories(dir.resolve("bare"));
        for (String tool : List.of("sed", "grep", "cat", "dirname")) {
            Path file = bare.resolve(tool);
            Files.writeString(file, "#!/bin/sh\nexec " + Path.of("/usr/bin", tool).toRealPath() + " \"$@\"\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bare.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("no apt-get", "Java 17", "Maven", "Mosquitto's clients", "InfluxDB 1.x (influxd",
                "InfluxDB 1.x's CLI (influx)", "kcat", "Prometheus 2.x (prometheus)",
                "Prometheus Alertmanager 0.25 or later (alertmanager, with amtool)");
        if (!Files.isExecutable(Path.of("/usr/sbin/mosquitto"))) {
            assertThat(output).contains("Mosquitto 2.x (the broker");
        }
    }

    private record Result(int exit, String output) {}

    private Result run(String installed, boolean systemd) throws Exception {
        if (systemd) {
            Files.createDirectories(root.resolve("run/systemd/system"));
        }
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        env.put("WINDROSE_INSTALL_ROOT", root.toString());
        env.put("INSTALLED", "openjdk-17-jdk-headless maven " + installed);
        env.put("CALLS", log.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private void script(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
