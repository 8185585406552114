package io.windrose.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.testing.Await;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestMqtt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parallel readers against a real Mosquitto: every published message reaches the job exactly once. */
class SharedSubscriptionITCase {
    private static final int MESSAGES = 3_000;

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    @ParameterizedTest(name = "parallelism {0}, MQTT {1}, shared subscriptions {2}")
    @CsvSource({"2, 5, true", "3, 5, true", "3, 3.1.1, true", "2, 5, false"})
    void everyMessageReachesExactlyOneReader(int parallelism, String version, boolean shared) throws Exception {
        MosquittoServer mosquitto = RealServices.mosquitto();
        String prefix = "windrose-p" + parallelism + "-" + version.charAt(0) + (shared ? "-shared" : "-split");
        String group = "g" + parallelism + version.charAt(0) + shared;
        List<String> filters = List.of("fleet-" + group + "/a/#", "fleet-" + group + "/b/#");
        MqttSource<MqttMessage> source = CountingSink.sourceBuilder()
                .setServers(List.of(mosquitto.uri()))
                .setProtocolVersion(MqttProtocolVersion.parse(version))
                .setClientIdPrefix(prefix)
                .setSharedSubscription(shared)
                .setSharedGroup(group)
                .setTopics(filters)
                .build();
        jobs.track(new CountingSink().run(source, parallelism, 500));
        jobs.awaitSubscribed(mosquitto, source.options(), parallelism);
        List<String> topics = new ArrayList<>(MESSAGES);
        List<String> payloads = new ArrayList<>(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            topics.add("fleet-" + group + "/" + (i % 2 == 0 ? "a" : "b") + "/s-" + i % 50);
            payloads.add("{\"id\":" + i + "}");
        }
        try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
            devices.publishAll(topics, payloads, MqttQos.AT_LEAST_ONCE);
        }
        Await.until(CountingSink.TOTAL::get, n -> n >= MESSAGES, Duration.ofSeconds(60));
        Thread.sleep(1_000); // a duplicate would arrive now
        assertThat(CountingSink.duplicates()).isEmpty();
        assertThat(CountingSink.BY_PAYLOAD.keySet()).containsExactlyInAnyOrderElementsOf(payloads);
        assertThat(CountingSink.TOTAL.get()).isEqualTo(MESSAGES);
    }
}
