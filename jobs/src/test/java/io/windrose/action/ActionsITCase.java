package io.windrose.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.schema.DeadLetter;
import io.windrose.testing.Await;
import io.windrose.testing.FailOnceAfterCheckpoint;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import io.windrose.testing.TestPipelines;
import io.windrose.testing.TestSubscriber;
import io.windrose.testing.TlsBroker;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The loop back to devices: rules' MQTT commands and webhooks, against real Mosquitto, Kafka and InfluxDB. */
class ActionsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private HttpServer http;

    @AfterEach
    void stopHttp() {
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void aReadingAboveTheThresholdSendsOneOnAndBackBelowOneOffAndTheWebhookGetsBoth() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        String hook = webhook(200, bodies);
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), "act1/+/fan/set")) {
            jobs.startWithServices("act1", true, """
                    routes:
                      - name: sensors
                        topic-template: act1/{site}/{sensor}
                    rules:
                      - name: hot
                        field: temperature
                        above: 30
                        actions:
                          - mqtt: {topic: 'act1/{sensor}/fan/set', raised: 'ON', cleared: 'OFF', expiry: 5m}
                          - webhook: {url: '%s'}
                    """.formatted(hook));
            long now = System.currentTimeMillis();
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                for (double t : new double[] {35, 35, 36, 20, 20}) {
                    device.publish("act1/site-a/loop-1", reading("loop-1", now += 500, t));
                }
                // a replayed reading from long ago raises its alert, but switches no device
                device.publish("act1/site-a/old-1", reading("old-1", now - 600_000, 40));
            }
            List<TestSubscriber.Received> commands = fan.await(2, Duration.ofSeconds(30));
            assertThat(commands).extracting(Object::toString)
                    .containsExactly("act1/loop-1/fan/set ON", "act1/loop-1/fan/set OFF");
            assertThat(commands).allSatisfy(c -> assertThat(c.retain()).isFalse());
            assertThat(commands).allSatisfy(c -> assertThat(c.expirySeconds()).isBetween(1L, 300L));
            assertThat(InMemoryMetrics.count("suppressed")).as("the old alert's command").isEqualTo(1);
            assertThat(InMemoryMetrics.count("sent", "mqtt-commands")).isEqualTo(2);
            Await.until(bodies::size, n -> n >= 3, Duration.ofSeconds(30));
            assertThat(InMemoryMetrics.count("sent", "webhooks")).isEqualTo(3);
            List<JsonNode> hooks = bodies.stream().map(ActionsITCase::json).toList();
            assertThat(hooks).extracting(b -> b.path("sensorId").asText() + " " + b.path("state").asText())
                    .containsExactlyInAnyOrder("loop-1 RAISED", "loop-1 CLEARED", "old-1 RAISED");
        }
    }

    @Test
    void aFailureBetweenRaisedAndClearedSendsNoSecondOn() throws Exception {
        String name = "act2";
        RealServices.influx().createDatabase(name);
        PipelineConfig config = TestPipelines.load(name, TestPipelines.services(name, mosquitto, RealServices.influx(), name,
                kafka) + """
                routes:
                  - name: sensors
                    topic-template: act2/{site}/{sensor}
                rules:
                  - name: hot
                    field: temperature
                    above: 30
                    actions: [{mqtt: {topic: 'act2/{sensor}/fan/set', raised: 'ON', cleared: 'OFF'}}]
                """);
        FailOnceAfterCheckpoint.reset(1, 30); // 30 messages after the first completed checkpoint: ON is out by then
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), "act2/+/fan/set")) {
            jobs.start(config, mosquitto, messages -> messages.map(new FailOnceAfterCheckpoint()).name("fail-once"));
            long now = System.currentTimeMillis();
            try (TestMqtt devices = new TestMqtt(mosquitto.port())) {
                devices.publish("act2/site-a/hot-1", reading("hot-1", now, 40));
                for (int i = 1; i <= 60; i++) {
                    devices.publish("act2/site-a/other", reading("other", now + i * 100, 20));
                    Thread.sleep(50);
                }
                Await.until(FailOnceAfterCheckpoint.FAILED::get, failed -> failed, Duration.ofSeconds(30));
                Thread.sleep(2_000);
                devices.publish("act2/site-a/hot-1", reading("hot-1", now + 10_000, 20));
            }
            assertThat(FailOnceAfterCheckpoint.FAILED).isTrue();
            assertThat(fan.await(2, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly("act2/hot-1/fan/set ON", "act2/hot-1/fan/set OFF");
        }
    }

    @Test
    void commandsGoOverTlsWithTheSourcesCertificatesAndCredentials() throws Exception {
        try (TlsBroker broker = TlsBroker.start();
                TestSubscriber fan = new TestSubscriber(broker.plainPort(), "act3/+/fan/set")) {
            String name = "act3";
            RealServices.influx().createDatabase(name);
            PipelineConfig config = TestPipelines.load(name, TestPipelines.services(name, broker.mosquitto(),
                    RealServices.influx(), name, null) + """
                    routes:
                      - name: sensors
                        topic-template: act3/{site}/{sensor}
                    rules:
                      - {name: hot, field: temperature, above: 30, actions: [{mqtt: {topic: 'act3/{sensor}/fan/set', raised: 'ON'}}]}
                    """, "mqtt.servers=[\"ssl://127.0.0.1:" + broker.tlsPort() + "\"]", "mqtt.username=windrose",
                    "mqtt.password-file=" + broker.passwordFile(), "mqtt.tls.ca-file=" + broker.file("ca.crt"),
                    "mqtt.tls.cert-file=" + broker.file("client.crt"), "mqtt.tls.key-file=" + broker.file("client.key"));
            jobs.start(config, broker.mosquitto());
            try (TestMqtt device = new TestMqtt(broker.plainPort())) {
                device.publish("act3/site-a/tls-1", reading("tls-1", System.currentTimeMillis(), 35));
            }
            assertThat(fan.await(1, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly("act3/tls-1/fan/set ON");
        }
    }

    @Test
    void aDeviceGetsAtMostOneCommandPerMinIntervalAndTheLatestWins() throws Exception {
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), "act4/+/fan/set")) {
            jobs.startWithServices("act4", false, """
                    routes:
                      - name: sensors
                        topic-template: act4/{site}/{sensor}
                    rules:
                      - {name: hot, field: temperature, above: 30, actions: [{mqtt: {topic: 'act4/{sensor}/fan/set', raised: 'ON', cleared: 'OFF'}}]}
                    actions:
                      mqtt: {min-interval: 3s}
                    """);
            long now = System.currentTimeMillis();
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                for (double t : new double[] {35, 20, 35, 20}) { // four changes within a second
                    device.publish("act4/site-a/flappy", reading("flappy", now += 100, t));
                }
            }
            List<TestSubscriber.Received> commands = fan.await(2, Duration.ofSeconds(30));
            assertThat(commands).extracting(Object::toString)
                    .containsExactly("act4/flappy/fan/set ON", "act4/flappy/fan/set OFF");
            assertThat(InMemoryMetrics.count("suppressed")).as("OFF and ON replaced by the last OFF").isEqualTo(2);
        }
    }

    @Test
    void aWebhookThatKeepsFailingBecomesAnActionFailedDeadLetterAndTheJobGoesOn() throws Exception {
        String hook = webhook(500, new CopyOnWriteArrayList<>());
        jobs.startWithServices("act5", true, """
                routes:
                  - name: sensors
                    topic-template: act5/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: 30, actions: [{webhook: {url: '%s'}}]}
                actions:
                  webhook: {retry-timeout: 2s}
                """.formatted(hook));
        try (TestMqtt device = new TestMqtt(mosquitto.port())) {
            device.publish("act5/site-a/w-1", reading("w-1", System.currentTimeMillis(), 35));
        }
        List<TestKafka.Keyed<DeadLetter>> dead = TestKafka.read(kafka.bootstrapServers(), "act5.deadletters",
                DeadLetter.class, 1, Duration.ofSeconds(60));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value().getReason()).isEqualTo("ACTION_FAILED");
        assertThat(dead.get(0).value().getDetail()).contains("HTTP 500").contains("rule hot");
        assertThat(json(StandardCharsets.UTF_8.decode(dead.get(0).value().getPayload()).toString()).path("state").asText())
                .isEqualTo("RAISED");
        assertThat(InMemoryMetrics.count("failed", "webhooks")).isGreaterThan(1);
    }

    /** A local HTTP endpoint answering {@code status}, keeping the bodies it got. */
    private String webhook(int status, List<String> bodies) throws Exception {
        int port = Ports.free();
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        http.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        http.start();
        return "http://127.0.0.1:" + port + "/hook";
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }
}
