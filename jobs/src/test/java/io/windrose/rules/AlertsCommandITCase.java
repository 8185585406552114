package io.windrose.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.WindroseCommand;
import io.windrose.alert.AlertCommand;
import io.windrose.localcluster.KafkaServer;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.testing.RealServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.flink.formats.avro.AvroSerializationSchema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code windrose alerts} against a real Kafka. For {@code ack}, {@code shelve} and {@code unshelve} a test thread
 * ({@link StandInJob}) stands in for the job: it reads the commands topic and answers on the status topic in
 * {@link AlertCommand}'s format, so these tests check the command's side of the contract only; the end-to-end test
 * with a real job is AlertCommandsITCase. {@code list} reads AlertEvent records written to a real alerts topic as the
 * job's Kafka sink writes them (Flink's {@link AvroSerializationSchema}: plain Avro binary, key = sensor id).
 */
class AlertsCommandITCase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T = 1_796_464_800_000L; // 2026-12-05T10:00:00Z

    private final KafkaServer kafka = RealServices.kafka();
    private final List<StandInJob> jobs = new ArrayList<>();
    private String name;
    private Path config;

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void pipeline() throws Exception {
        name = "alertscli-" + UUID.randomUUID().toString().substring(0, 8);
        config = Files.writeString(RealServices.newDirectory("alerts-cli").resolve("pipeline.yaml"), """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  kafka: {bootstrap-servers: '%s', alerts-topic: %s.alerts}
                runtime-rules:
                  topic: %s.rules
                  status-topic: %s.status
                  commands-topic: %s.commands
                """.formatted(kafka.bootstrapServers(), name, name, name, name));
    }

    @AfterEach
    void stopJobs() throws Exception {
        for (StandInJob job : jobs) {
            job.close();
        }
    }

    @Test
    void ackPrintsEachAlertTheJobAcknowledged() throws Exception {
        StandInJob job = job((in, self) -> {
            AlertCommand command = AlertCommand.parse(in.value());
            // what else is on the shared status topic: a rule's status, another command's answer
            self.status("{\"rule\":\"too-hot\",\"offset\":0,\"status\":\"accepted\",\"effective\":{}}");
            self.status(AlertCommand.ack("too-hot", "s-1", null).answer(AlertCommand.REJECTED, "not ours").toString());
            // a subtask may ack before the first one accepts, another a moment after
            List<ObjectNode> answers = List.of(acked(command, "sensors", "critical", T),
                    command.answer(AlertCommand.ACCEPTED, null));
            new Thread(() -> {
                sleep(400);
                self.status(acked(command, "machines", "warning", T + 5_000).toString());
            }).start();
            return answers;
        });
        Result result = alerts("ack", "too-hot", "s-1", "--comment", "fan replaced");
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("""
                acked too-hot s-1 in sensors (critical since 2026-12-05T10:00:00Z)
                acked too-hot s-1 in machines (warning since 2026-12-05T10:00:05Z)
                """);
        // what went to the commands topic: key = the rule, value = AlertCommand's JSON
        assertThat(job.received()).hasSize(1);
        StandInJob.Received sent = job.received().get(0);
        assertThat(sent.key()).isEqualTo("too-hot");
        AlertCommand command = AlertCommand.parse(sent.value());
        assertThat(command.op()).isEqualTo(AlertCommand.ACK);
        assertThat(command.sensor()).isEqualTo("s-1");
        assertThat(command.comment()).isEqualTo("fan replaced");
    }

    @Test
    void anAckOfNothingRaisedOrARejectedOneExitsWith1() {
        job((in, self) -> {
            AlertCommand command = AlertCommand.parse(in.value());
            return List.of(command.sensor().equals("s-404")
                    ? command.answer(AlertCommand.REJECTED, "rule: no rule too-cold")
                    : command.answer(AlertCommand.ACCEPTED, null));
        });
        Result none = alerts("ack", "too-hot", "s-1");
        assertThat(none.exit()).as(none.toString()).isEqualTo(1);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).isEqualTo("no raised alert of too-hot for s-1 to acknowledge\n");
        Result rejected = alerts("ack", "too-cold", "s-404");
        assertThat(rejected.exit()).as(rejected.toString()).isEqualTo(1);
        assertThat(rejected.err()).isEqualTo("rejected: ack too-cold for s-404: rule: no rule too-cold\n");
    }

    @Test
    void shelveAndUnshelveWaitForTheJobsAnswer() {
        StandInJob job = job((in, self) -> List.of(AlertCommand.parse(in.value()).answer(AlertCommand.ACCEPTED, null)));
        Result shelved = alerts("shelve", "too-hot", "--sensor", "s-1", "--for", "2h", "--comment", "maintenance");
        assertThat(shelved.exit()).as(shelved.toString()).isZero();
        AlertCommand shelve = AlertCommand.parse(job.received().get(0).value());
        assertThat(shelve.op()).isEqualTo(AlertCommand.SHELVE);
        assertThat(shelve.duration()).hasHours(2);
        assertThat(shelve.comment()).isEqualTo("maintenance");
        assertThat(shelved.out()).isEqualTo("shelved too-hot for s-1 until " + AlertAnswers.iso(shelve.until()) + "\n");

        Result all = alerts("shelve", "too-hot", "--for", "30m");
        assertThat(all.out()).startsWith("shelved too-hot until ");
        assertThat(AlertCommand.parse(job.received().get(1).value()).sensor()).isNull();

        Result unshelved = alerts("unshelve", "too-hot", "--sensor", "s-1");
        assertThat(unshelved.exit()).as(unshelved.toString()).isZero();
        assertThat(unshelved.out()).isEqualTo("unshelved too-hot for s-1\n");
        assertThat(AlertCommand.parse(job.received().get(2).value()).op()).isEqualTo(AlertCommand.UNSHELVE);
    }

    @Test
    void noJobNoAnswerExitsWith3() {
        StandInJob.createTopics(kafka.bootstrapServers(), name + ".status", name + ".commands");
        Result result = alerts("ack", "too-hot", "s-1", "--timeout", "2s");
        assertThat(result.exit()).as(result.toString()).isEqualTo(3);
        assertThat(result.err()).contains("no answer from the job to ack too-hot within 2 s: is it running, with"
                + " runtime-rules.commands-topic " + name + ".commands?");
    }

    @Test
    void listShowsWhatIsRaisedNowByTheNewestEventOfEachAlert() throws Exception {
        // no topic yet, then an empty one: nothing raised
        assertThat(alerts("list").out()).isEqualTo("no raised alerts\n");
        StandInJob.createTopics(kafka.bootstrapServers(), name + ".alerts");
        assertThat(alerts("list").out()).isEqualTo("no raised alerts\n");

        send(List.of(
                event("too-hot", "s-1", AlertState.RAISED, "warning", 31, T, T, false),
                event("too-hot", "s-1", AlertState.RAISED, "critical", 41.5, T, T + 5_000, false),
                // the job's re-publication after an ack: the same event, acked; the newest by offset
                event("too-hot", "s-1", AlertState.RAISED, "critical", 41.5, T, T + 5_000, true),
                event("too-hot", "s-2", AlertState.RAISED, "warning", 30.5, T + 1_000, T + 1_000, false),
                event("too-hot", "s-2", AlertState.CLEARED, "warning", 27, T + 1_000, T + 9_000, false),
                event("silent", "s-3", AlertState.RAISED, "critical", 120, T + 2_000, T + 2_000, false)), false);
        // an aborted transaction's event: not committed, not listed
        send(List.of(event("too-hot", "s-9", AlertState.RAISED, "critical", 50, T, T, false)), true);

        Result table = alerts("list");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).isEqualTo("""
                RULE     SENSOR  LEVEL     SINCE                 VALUE  ACKED  SHELVED
                silent   s-3     critical  2026-12-05T10:00:02Z  120    no     no
                too-hot  s-1     critical  2026-12-05T10:00:00Z  41.5   yes    no
                """);
        // the docs show this table as the command's output
        assertThat(Files.readString(Path.of("../docs/alerts.md"))).contains("```text\n" + table.out() + "```\n");
        assertThat(alerts("list", "--rule", "too-hot").out()).contains("too-hot  s-1").doesNotContain("silent");
        assertThat(alerts("list", "--sensor", "s-2").out()).isEqualTo("no raised alerts\n");

        Result json = alerts("list", "--json", "--sensor", "s-1");
        assertThat(json.exit()).isZero();
        List<String> lines = json.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("rule").asText()).isEqualTo("too-hot");
        assertThat(line.get("level").asText()).isEqualTo("critical");
        assertThat(line.get("since").asText()).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(line.get("acked").asBoolean()).isTrue();
        assertThat(line.get("ackComment").asText()).isEqualTo("on it");
        assertThat(alerts("list", "--json", "--sensor", "s-2").out()).isEmpty();
    }

    private StandInJob job(StandInJob.Answer answer) {
        StandInJob job = new StandInJob(kafka.bootstrapServers(), name + ".commands", name + ".status", answer);
        jobs.add(job);
        return job;
    }

    private Result alerts(String... args) {
        List<String> all = new ArrayList<>(List.of("alerts", "--config", config.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }

    /** Writes the events as the job's Kafka sink does: its value serializer, key = sensor id; in one transaction. */
    private void send(List<AlertEvent> events, boolean abort) throws Exception {
        AvroSerializationSchema<AlertEvent> values = AvroSerializationSchema.forSpecific(AlertEvent.class);
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("transactional.id", name + "-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (AlertEvent event : events) {
                producer.send(new ProducerRecord<>(name + ".alerts",
                        event.getSensorId().getBytes(StandardCharsets.UTF_8), values.serialize(event))).get();
            }
            if (abort) {
                producer.abortTransaction();
            } else {
                producer.commitTransaction();
            }
        }
    }

    private static AlertEvent event(String rule, String sensor, AlertState state, String level, double value,
            long startedAt, long eventTime, boolean acked) {
        return AlertsCommandTest.event(rule, sensor, state, level, value, startedAt, eventTime, acked);
    }

    private static ObjectNode acked(AlertCommand command, String measurement, String level, long since) {
        return command.answer(AlertCommand.ACKED, null).put("measurement", measurement).put("level", level)
                .put("since", since);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
