package io.windrose.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the job in tests of the commands that talk to it: reads one topic (the commands or the rules topic)
 * from its start and writes what {@code answer} makes of each record (key, value) to the status topic, in order.
 * It is not the job: the end-to-end tests with a real job are AlertCommandsITCase and RuntimeRulesITCase.
 */
final class StandInJob implements AutoCloseable {
    /** A record the stand-in read: its key, value and offset. */
    record Received(String key, String value, long offset) {}

    /** What the stand-in answers to one record: records for the status topic, in order (JSON). */
    interface Answer extends BiFunction<Received, StandInJob, List<ObjectNode>> {}

    private final String bootstrap;
    private final String statusTopic;
    private final Thread thread;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    StandInJob(String bootstrap, String inputTopic, String statusTopic, Answer answer) {
        this.bootstrap = bootstrap;
        this.statusTopic = statusTopic;
        createTopics(bootstrap, inputTopic, statusTopic);
        thread = new Thread(() -> run(inputTopic, answer), "stand-in-job");
        thread.setDaemon(true);
        thread.start();
    }

    /** The records read so far. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** Writes a record to the status topic now. */
    void status(String json) {
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            producer.send(new ProducerRecord<>(statusTopic, null, json)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(String inputTopic, Answer answer) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        props.put("enable.auto.commit", "false");
        TopicPartition input = new TopicPartition(inputTopic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
                KafkaProducer<String, String> producer = producer(bootstrap)) {
            consumer.assign(List.of(input));
            consumer.seekToBeginning(List.of(input));
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    Received in = new Received(record.key(), record.value(), record.offset());
                    received.add(in);
                    for (ObjectNode out : answer.apply(in, this)) {
                        producer.send(new ProducerRecord<>(statusTopic, null, out.toString())).get();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {
                throw new IllegalStateException("the stand-in job failed", e);
            }
        }
    }

    static void createTopics(String bootstrap, String... topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
