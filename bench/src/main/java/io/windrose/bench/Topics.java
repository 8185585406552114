package io.windrose.bench;

import io.windrose.sink.KafkaSinkConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the job's Kafka topics up front, as a production deployment has them (no auto-creation on first send). */
final class Topics {
    private Topics() {}

    static void create(String bootstrap, KafkaSinkConfig kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            java.util.List<String> topics = new java.util.ArrayList<>(List.of(kafka.aggregatesTopic, kafka.alertsTopic,
                    kafka.deadLettersTopic, kafka.lateTopic));
            if (kafka.readingsTopic != null) {
                topics.add(kafka.readingsTopic); // the archive of readings, where it is on
            }
            admin.createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
        }
    }
}
