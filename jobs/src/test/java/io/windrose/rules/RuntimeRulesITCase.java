package io.windrose.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseCommand;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.schema.AlertEvent;
import io.windrose.testing.Await;
import io.windrose.testing.InfluxQuery;
import io.windrose.testing.RealServices;
import io.windrose.testing.RunningJobs;
import io.windrose.testing.TestKafka;
import io.windrose.testing.TestMqtt;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules changed while the job runs, through the rules topic and the {@code windrose rules} command, under a steady
 * stream of readings: a rule added, replaced and deleted takes effect without a restart; a rule with an unknown key is
 * refused (by the command before it is sent, and by the job when it comes through the topic) while the rules in force
 * keep working; the aggregates count every reading.
 */
class RuntimeRulesITCase {
    private static final long T0 = 1764144000000L;

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    @Test
    void rulesAreAddedReplacedAndDeletedWhileReadingsKeepComing() throws Exception {
        String name = "runtimerules";
        jobs.startWithServices(name, true, """
                routes:
                  - name: sensors
                    topic-template: runtimerules/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: 30}
                """, "runtime-rules.topic=" + name + ".rules", "runtime-rules.status-topic=" + name + ".rules.status");
        Path dir = RealServices.newDirectory("rules-cli");
        // right after the start, before any update: the job announced the pipeline file's rules
        Result started = rules(name, "list");
        assertThat(started.exit()).as(started.toString()).isZero();
        assertThat(started.out()).contains("- name: hot\n").contains("field: temperature").doesNotContain("too-humid");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        Thread stream = new Thread(() -> {
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                while (running.get()) {
                    int i = published.getAndIncrement();
                    device.publish("runtimerules/site-a/s-1", "{\"sensor\":\"s-1\",\"ts\":" + (T0 + i * 100L)
                            + ",\"temperature\":20,\"humidity\":" + (i < 150 ? 60 : 40) + "}");
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "steady-stream");
        stream.start();
        try {
            // added: humidity 60 is above 50
            Result added = rules(name, "put", Files.writeString(dir.resolve("humid.yaml"),
                    "name: too-humid\nfield: humidity\nabove: 50\n").toString());
            assertThat(added.exit()).as(added.toString()).isZero();
            assertThat(added.out()).contains("accepted: too-humid");
            awaitAlerts(name, List.of("too-humid RAISED"));

            // an unknown key: refused by the command, nothing sent
            Result bad = rules(name, "put", Files.writeString(dir.resolve("bad.json"),
                    "{\"name\":\"bad\",\"field\":\"humidity\",\"abovee\":50}").toString());
            assertThat(bad.exit()).isEqualTo(2);
            assertThat(bad.err()).contains("key 'abovee'").contains("unknown key");
            // ... and by the job, for a record written to the topic by other means
            try (KafkaProducer<String, String> producer = producer()) {
                producer.send(new ProducerRecord<>(name + ".rules", "bad", "{\"name\":\"bad\",\"field\":\"t\",\"below\":\"x\"}"))
                        .get();
            }
            Await.until(() -> statuses(name), s -> s.stream().anyMatch(l -> l.contains("\"rule\":\"bad\"")),
                    Duration.ofSeconds(30));
            assertThat(statuses(name)).filteredOn(l -> l.contains("\"rule\":\"bad\"")).singleElement().asString()
                    .contains("\"status\":\"rejected\"").contains("key 'below'");

            // replaced: the same kind and field keep the alert state: 60 is not above 70, so the alert clears
            Result replaced = rules(name, "put", Files.writeString(dir.resolve("humid2.yaml"),
                    "name: too-humid\nfield: humidity\nabove: 70\n").toString());
            assertThat(replaced.exit()).isZero();
            awaitAlerts(name, List.of("too-humid RAISED", "too-humid CLEARED"));

            // the rule of the pipeline file still works: a hot reading raises it
            try (TestMqtt device = new TestMqtt(mosquitto.port())) {
                device.publish("runtimerules/site-a/hot-1", "{\"sensor\":\"hot-1\",\"ts\":" + T0 + ",\"temperature\":35}");
            }
            awaitAlerts(name, List.of("too-humid RAISED", "too-humid CLEARED", "hot RAISED"));

            // deleted, also a rule of the pipeline file: no more alerts of it
            Result deleted = rules(name, "delete", "hot");
            assertThat(deleted.exit()).isZero();
            assertThat(deleted.out()).contains("deleted: hot");
            Result listed = rules(name, "list");
            assertThat(listed.exit()).isZero();
            assertThat(listed.out()).contains("- name: too-humid").doesNotContain("name: hot");
        } finally {
            running.set(false);
            stream.join();
        }
        // every reading is in an aggregate, up to the last window the watermark closed (2 s of out-of-orderness)
        int sent = published.get();
        long closed = Math.max(0, (sent - 1) * 100L - 2_000) / 10_000 * 10_000;
        List<Map<String, Object>> rows = Await.until(() -> InfluxQuery.rows(influx, name,
                "SELECT sum(temperature_count) FROM sensors WHERE sensor = 's-1' AND time < " + (T0 + closed) + "ms"),
                r -> !r.isEmpty() && ((Number) r.get(0).get("sum")).longValue() >= closed / 100, Duration.ofSeconds(30));
        assertThat(((Number) rows.get(0).get("sum")).longValue()).as("readings in closed windows").isEqualTo(closed / 100);
    }

    private record Result(int exit, String out, String err) {}

    private Result rules(String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("rules"));
        all.addAll(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--timeout", "60s"));
        // the command reads the topic names from a pipeline file; here the test's own, written next to the job's
        Path config = RealServices.newDirectory("rules-config").resolve("pipeline.yaml");
        try {
            Files.writeString(config, """
                    routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                    sinks:
                      kafka: {bootstrap-servers: '%s'}
                    runtime-rules: {topic: %s.rules, status-topic: %s.rules.status}
                    """.formatted(kafka.bootstrapServers(), name, name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        all.addAll(List.of("--config", config.toString()));
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    private void awaitAlerts(String name, List<String> expected) {
        List<String> seen = Await.until(() -> alerts(name), a -> a.size() >= expected.size(), Duration.ofSeconds(60));
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    private List<String> alerts(String name) {
        return TestKafka.read(kafka.bootstrapServers(), name + ".alerts", AlertEvent.class, 0, Duration.ofSeconds(1))
                .stream().map(a -> a.value().getRule() + " " + a.value().getState()).toList();
    }

    private List<String> statuses(String name) {
        List<String> lines = new ArrayList<>();
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        properties.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        properties.put("value.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(properties)) {
            var partition = new org.apache.kafka.common.TopicPartition(name + ".rules.status", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> lines.add(r.value()));
            }
        }
        return lines;
    }

    private KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", kafka.bootstrapServers());
        properties.put("key.serializer", StringSerializer.class.getName());
        properties.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }
}
