package io.windrose.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.WindroseCommand;
import io.windrose.alert.AlertCommand;
import io.windrose.localcluster.KafkaServer;
import io.windrose.testing.RealServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code windrose rules} is not confused by the answers to alert commands that share its status topic: {@code put}
 * and {@code delete} pass over records with a {@code command}, also one naming the same rule; {@code list} prints the
 * newest record that has {@code effective}, however many answers came after it. A test thread ({@link StandInJob})
 * stands in for the job on a real Kafka; the end-to-end test with a real job is RuntimeRulesITCase.
 */
class RulesCommandITCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaServer kafka = RealServices.kafka();
    private final List<StandInJob> jobs = new ArrayList<>();
    private String name;
    private Path dir;
    private Path config;

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void pipeline() throws Exception {
        name = "rulescli-" + UUID.randomUUID().toString().substring(0, 8);
        dir = RealServices.newDirectory("rules-cli");
        config = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  kafka: {bootstrap-servers: '%s'}
                runtime-rules: {topic: %s.rules, status-topic: %s.status, commands-topic: %s.commands}
                """.formatted(kafka.bootstrapServers(), name, name, name));
    }

    @AfterEach
    void stopJobs() throws Exception {
        for (StandInJob job : jobs) {
            job.close();
        }
    }

    @Test
    void putAndDeletePassOverAnswersToAlertCommands() throws Exception {
        StandInJob job = new StandInJob(kafka.bootstrapServers(), name + ".rules", name + ".status", (in, self) -> {
            // before the rule's status: an answer to an alert command about the same rule; it has no offset, which
            // reads as 0, the offset of the first rule update
            ObjectNode alertAnswer = AlertCommand.ack(in.key(), "s-1", null)
                    .answer(AlertCommand.REJECTED, "no raised alert");
            ObjectNode status = JSON.createObjectNode().put("rule", in.key()).put("offset", in.offset())
                    .put("status", in.value() == null ? "deleted" : "accepted");
            status.putObject("effective");
            return List.of(alertAnswer, status);
        });
        jobs.add(job);
        Path rule = Files.writeString(dir.resolve("humid.yaml"), "name: too-humid\nfield: humidity\nabove: 50\n");
        Result put = rules("put", rule.toString());
        assertThat(put.exit()).as(put.toString()).isZero();
        assertThat(put.out()).isEqualTo("accepted: too-humid\n");
        assertThat(job.received().get(0).offset()).isZero();
        Result delete = rules("delete", "too-humid");
        assertThat(delete.exit()).as(delete.toString()).isZero();
        assertThat(delete.out()).isEqualTo("deleted: too-humid\n");
    }

    @Test
    void listPrintsTheNewestRecordWithEffectiveRules() throws Exception {
        StandInJob job = new StandInJob(kafka.bootstrapServers(), name + ".rules", name + ".status",
                (in, self) -> List.of());
        jobs.add(job);
        job.status(started("old-rule"));
        job.status(started("hot"));
        // more answers to alert commands after it than list reads back at first
        try (var producer = StandInJob.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < 150; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(name + ".status", null,
                        AlertCommand.ack("hot", "s-" + i, null).answer(AlertCommand.ACCEPTED, null).toString()));
            }
            producer.flush();
        }
        Result list = rules("list", "--timeout", "10s");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).isEqualTo("""
                - name: hot
                  field: temperature
                  above: 30
                """);
    }

    @Test
    void listWaitsForTheFirstRecordWithEffectiveRules() {
        StandInJob job = new StandInJob(kafka.bootstrapServers(), name + ".rules", name + ".status",
                (in, self) -> List.of());
        jobs.add(job);
        job.status(AlertCommand.unshelve("hot", null).answer(AlertCommand.ACCEPTED, null).toString());
        Result none = rules("list", "--timeout", "2s");
        assertThat(none.exit()).as(none.toString()).isEqualTo(3);
        assertThat(none.err()).contains("no word from the job on " + name + ".status within 2 s");
        new Thread(() -> {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            job.status(started("hot"));
        }).start();
        Result later = rules("list", "--timeout", "20s");
        assertThat(later.exit()).as(later.toString()).isZero();
        assertThat(later.out()).contains("- name: hot");
    }

    private static String started(String rule) {
        ObjectNode status = JSON.createObjectNode().put("rule", (String) null).put("offset", -1).put("status", "started");
        status.putObject("effective").putObject(rule).put("name", rule).put("field", "temperature").put("above", 30);
        return status.toString();
    }

    private Result rules(String... args) {
        List<String> all = new ArrayList<>(List.of("rules", "--config", config.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WindroseCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true),
                all.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }
}
