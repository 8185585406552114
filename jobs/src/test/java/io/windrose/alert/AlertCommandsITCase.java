package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.windrose.testing.TestSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ack and shelve through real Mosquitto, Kafka and InfluxDB: the commands travel on the job's commands topic and are
 * answered on its status topic; an acknowledged alert's later raises send no MQTT command while its records carry
 * {@code acked}; a shelf silences a sensor's commands and ends by itself.
 */
class AlertCommandsITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final RunningJobs jobs = new RunningJobs();

    private final MosquittoServer mosquitto = RealServices.mosquitto();
    private final KafkaServer kafka = RealServices.kafka();
    private final InfluxServer influx = RealServices.influx();

    private static final String RULES = """
            routes:
              - name: sensors
                topic-template: %s/{site}/{sensor}
            rules:
              - name: too-hot
                field: temperature
                above: {warning: 28, critical: 31}
                actions:
                  - mqtt: {topic: '%s/{sensor}/fan/set', raised: '{level}', cleared: 'OFF'}
            actions:
              mqtt: {min-interval: 0s}        # each command, not the latest of a second's
            """;

    @Test
    void anAckStopsTheAlertsMqttCommandsUntilItClearsWhileItsRecordsSayAcked() throws Exception {
        String name = "alertack";
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), name + "/+/fan/set");
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            jobs.startWithServices(name, true, RULES.formatted(name, name));
            long now = System.currentTimeMillis();
            device.publish(name + "/site-a/s-1", reading("s-1", now, 29));
            assertThat(fan.await(1, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-1/fan/set warning");

            AlertCommand ack = AlertCommand.ack("too-hot", "s-1", "on my way");
            List<JsonNode> answers = send(name, ack, 2);
            assertThat(answers).extracting(a -> a.get("status").asText() + " " + a.path("level").asText())
                    .containsExactlyInAnyOrder("accepted ", "acked warning");

            device.publish(name + "/site-a/s-1", reading("s-1", now + 1_000, 32)); // critical: acked, no command
            device.publish(name + "/site-a/s-2", reading("s-2", now + 1_000, 32)); // another sensor's: commands flow
            device.publish(name + "/site-a/s-1", reading("s-1", now + 2_000, 20)); // cleared: OFF
            assertThat(fan.await(3, Duration.ofSeconds(30))).extracting(Object::toString).containsExactly(
                    name + "/s-1/fan/set warning", name + "/s-2/fan/set critical", name + "/s-1/fan/set OFF");

            List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                    AlertEvent.class, 5, Duration.ofSeconds(60));
            assertThat(alerts.stream().map(TestKafka.Keyed::value).filter(a -> a.getSensorId().equals("s-1")))
                    .extracting(a -> a.getState() + " " + a.getLevel() + " acked=" + a.getAcked() + " "
                            + (a.getEventTime().toEpochMilli() - now))
                    .containsExactly("RAISED warning acked=false 0", "RAISED warning acked=true 0",
                            "RAISED critical acked=true 1000", "CLEARED critical acked=true 2000");
            List<Map<String, Object>> points = Await.until(() -> InfluxQuery.rows(influx, name,
                    "SELECT state, level, acked, ack_comment FROM alerts WHERE sensor = 's-1'"),
                    rows -> rows.size() >= 3 && Boolean.TRUE.equals(rows.get(0).get("acked")), Duration.ofSeconds(30));
            assertThat(points).extracting(p -> p.get("state") + " " + p.get("level") + " " + p.get("acked") + " "
                    + p.get("ack_comment")).as("the raise's own point, acked").containsExactly(
                    "RAISED warning true on my way", "RAISED critical true on my way", "CLEARED critical true on my way");
        }
    }

    @Test
    void aShelfSilencesASensorsCommandsKeepsItsRecordsAndEndsByItself() throws Exception {
        String name = "alertshelve";
        try (TestSubscriber fan = new TestSubscriber(mosquitto.port(), name + "/+/fan/set");
                TestMqtt device = new TestMqtt(mosquitto.port())) {
            jobs.startWithServices(name, true, RULES.formatted(name, name));
            AlertCommand shelve = AlertCommand.shelve("too-hot", "s-3", Duration.ofSeconds(5), "maintenance");
            List<JsonNode> answers = send(name, shelve, 1);
            assertThat(answers.get(0).get("status").asText()).isEqualTo("accepted");
            assertThat(answers.get(0).get("until").asLong()).isEqualTo(shelve.until());

            long now = System.currentTimeMillis();
            device.publish(name + "/site-a/s-3", reading("s-3", now, 32)); // shelved: no command
            device.publish(name + "/site-a/s-4", reading("s-4", now, 32)); // not shelved
            assertThat(fan.await(1, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-4/fan/set critical");
            Thread.sleep(Math.max(0, shelve.until() - System.currentTimeMillis() + 500));
            device.publish(name + "/site-a/s-3", reading("s-3", now + 1_000, 20)); // its clear: raised shelved, nothing
            device.publish(name + "/site-a/s-3", reading("s-3", now + 2_000, 29)); // after the shelf: a command
            assertThat(fan.await(2, Duration.ofSeconds(30))).extracting(Object::toString)
                    .containsExactly(name + "/s-4/fan/set critical", name + "/s-3/fan/set warning");

            List<TestKafka.Keyed<AlertEvent>> alerts = TestKafka.read(kafka.bootstrapServers(), name + ".alerts",
                    AlertEvent.class, 4, Duration.ofSeconds(60));
            assertThat(alerts.stream().map(TestKafka.Keyed::value).filter(a -> a.getSensorId().equals("s-3")))
                    .extracting(a -> a.getState() + " " + a.getLevel() + " shelved=" + a.getShelved())
                    .as("records kept").containsExactly("RAISED critical shelved=true", "CLEARED critical shelved=false",
                            "RAISED warning shelved=false");
        }
    }

    /** Sends {@code command} to the job's commands topic; its first {@code count} answers on the status topic. */
    private List<JsonNode> send(String name, AlertCommand command, int count) throws Exception {
        Properties producerProperties = new Properties();
        producerProperties.put("bootstrap.servers", kafka.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(name + ".alerts.commands", command.rule(), command.toJson())).get();
        }
        Properties consumerProperties = new Properties();
        consumerProperties.put("bootstrap.servers", kafka.bootstrapServers());
        List<JsonNode> answers = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition status = new TopicPartition(name + ".rules.status", 0);
            consumer.assign(List.of(status));
            consumer.seekToBeginning(List.of(status));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (answers.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode answer = JSON.readTree(record.value());
                    if (command.id().equals(answer.path("command").asText())) {
                        answers.add(answer);
                    }
                }
            }
        }
        return answers;
    }

    private static String reading(String sensor, long time, double temperature) {
        return "{\"sensor\":\"" + sensor + "\",\"ts\":" + time + ",\"temperature\":" + temperature + "}";
    }
}
