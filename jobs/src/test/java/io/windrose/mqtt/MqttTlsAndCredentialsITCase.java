package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.mqtt.common.MqttTlsOptions;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Mosquitto with a TLS listener that requires a client certificate and a password (certificates made here with
 * openssl), plus a plain listener for the test's publisher. The source reads over mutual TLS with a password file;
 * a wrong password fails the job with an error that names the cause and the settings to check.
 */
class MqttTlsAndCredentialsITCase {
    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private static Path pki;
    private static MosquittoServer mosquitto;
    private static int tlsPort;

    @BeforeAll
    static void startBroker() throws Exception {
        pki = RealServices.newDirectory("pki");
        run(pki, """
                set -e
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=windrose-test-ca
                for name in server client; do
                  openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name
                  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $name.ext
                  openssl x509 -req -in $name.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out $name.crt \\
                    -extfile $name.ext
                done
                mosquitto_passwd -b -c passwd windrose 's3cret pass'
                printf 's3cret pass\\n' > password.txt
                """);
        tlsPort = Ports.free();
        mosquitto = new MosquittoServer(Ports.free(), RealServices.newDirectory("tls-broker"), List.of(
                "per_listener_settings true",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.resolve("ca.crt"),
                "certfile " + pki.resolve("server.crt"),
                "keyfile " + pki.resolve("server.key"),
                "require_certificate true",
                "allow_anonymous false",
                "password_file " + pki.resolve("passwd")));
        mosquitto.start();
        Ports.awaitOpen(tlsPort, Duration.ofSeconds(10), mosquitto.process());
    }

    @AfterAll
    static void stopBroker() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void readsOverMutualTlsWithAPasswordFile() throws Exception {
        MqttSource source = overMutualTls("windrose-tls")
                .setCredentials("windrose", null)
                .setPasswordFile(pki.resolve("password.txt").toString())
                .build();
        jobs.track(new CountingSink().run(source, 1, 500));
        jobs.awaitSubscribed(mosquitto, source.options(), 1);
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            for (int i = 0; i < 10; i++) {
                devices.publish("secure/s-" + i, "{\"n\":" + i + "}");
            }
        }
        assertThat(Await.until(CountingSink.TOTAL::get, n -> n >= 10, Duration.ofSeconds(30))).isEqualTo(10);
        assertThat(CountingSink.BY_PAYLOAD).containsKeys("{\"n\":0}", "{\"n\":9}");
    }

    @Test
    void wrongPasswordFailsTheJobNamingTheCause() throws Exception {
        MqttSource source = overMutualTls("windrose-badpass").setCredentials("windrose", "Wr0ng-Pa55").build();
        JobClient job = jobs.track(new CountingSink().run(source, 1, 500));
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            throw new AssertionError("the job should have failed");
        } catch (ExecutionException e) {
            String messages = ExceptionUtils.stringifyException(e);
            assertThat(messages).containsPattern("refused client windrose-badpass-0: (BAD_USER_NAME_OR_PASSWORD|NOT_AUTHORIZED)")
                    .contains("check mqtt.username, mqtt.password");
            assertThat(messages).doesNotContain("Wr0ng-Pa55");
        }
    }

    /** The TLS listener, trusting the test CA, with the test's client certificate. */
    private static MqttSourceBuilder overMutualTls(String clientIdPrefix) {
        return MqttSource.builder()
                .setServers(List.of("ssl://127.0.0.1:" + tlsPort))
                .setClientIdPrefix(clientIdPrefix)
                .setTls(new MqttTlsOptions(pki.resolve("ca.crt").toString(), pki.resolve("client.crt").toString(),
                        pki.resolve("client.key").toString(), true))
                .addTopicFilters(List.of("secure/#"));
    }

    private static void run(Path dir, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pki.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("making test certificates failed:\n" + Files.readString(dir.resolve("pki.log")));
        }
    }
}
