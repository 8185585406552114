package io.windrose.sink;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the Kafka topics Windrose needs with their settings (compaction, retention), where they are missing. */
public final class KafkaTopics {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);

    private KafkaTopics() {}

    /** A topic with the broker's partitions and replication, and these topic configs. */
    public static NewTopic topic(String name, Map<String, String> configs) {
        return new NewTopic(name, Optional.empty(), Optional.empty()).configs(configs);
    }

    /** A topic of one partition (one order for all its records), the broker's replication, these topic configs. */
    public static NewTopic singlePartition(String name, Map<String, String> configs) {
        return new NewTopic(name, 1, (short) -1).configs(configs);
    }

    /**
     * Creates each of {@code topics} that does not exist yet; one that exists is left as it is. Kafka out of reach or
     * refusing is a warning naming {@code key} (the producer then finds out what the broker does), not an error.
     */
    public static void createMissing(String bootstrapServers, Map<String, String> properties, String key,
            List<NewTopic> topics) {
        Properties admin = new Properties();
        admin.putAll(properties);
        admin.put("bootstrap.servers", bootstrapServers);
        admin.putIfAbsent("default.api.timeout.ms", "30000");
        try (Admin client = Admin.create(admin)) {
            for (NewTopic topic : topics) {
                try {
                    client.createTopics(List.of(topic)).all().get();
                    LOG.info("Created Kafka topic {} {}", topic.name(), topic.configs() == null ? "" : topic.configs());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        LOG.debug("Kafka topic {} exists", topic.name());
                    } else {
                        LOG.warn("Cannot create Kafka topic {} ({}): {}", topic.name(), key, e.getCause().toString());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka topics " + topics, e);
        }
    }
}
