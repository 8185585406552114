package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.flink.connector.mqtt.common.MqttTlsOptions;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.MqttSourceBuilder;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TlsBroker;
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

    private static TlsBroker broker;
    private static MosquittoServer mosquitto;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TlsBroker.start();
        mosquitto = broker.mosquitto();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readsOverMutualTlsWithAPasswordFile() throws Exception {
        MqttSource<MqttMessage> source = overMutualTls("windrose-tls")
                .setCredentials("windrose", null)
                .setPasswordFile(broker.passwordFile().toString())
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
        MqttSource<MqttMessage> source = overMutualTls("windrose-badpass").setCredentials("windrose", "Wr0ng-Pa55").build();
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
    private static MqttSourceBuilder<MqttMessage> overMutualTls(String clientIdPrefix) {
        return CountingSink.sourceBuilder()
                .setServers(List.of("ssl://127.0.0.1:" + broker.tlsPort()))
                .setClientIdPrefix(clientIdPrefix)
                .setTls(new MqttTlsOptions(broker.file("ca.crt").toString(), broker.file("client.crt").toString(),
                        broker.file("client.key").toString(), true))
                .setTopics(List.of("secure/#"));
    }
}
