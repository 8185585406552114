package io.windrose.testing;

import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Pipeline files for job tests: written to a fresh directory and loaded as the job would load them. */
public final class TestPipelines {
    private TestPipelines() {}

    public static PipelineConfig load(String name, String yaml, String... overrides) {
        Path file = RealServices.newDirectory(name).resolve("pipeline.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new PipelineConfigLoader().load(file, List.of(overrides));
    }

    /**
     * The job, MQTT and sink sections for a test against the real services: job {@code name} (also the MQTT client
     * id prefix and the Kafka topic prefix {@code <name>.aggregates}, {@code <name>.rules} etc.), 500 ms checkpoints, 3 restarts 200 ms
     * apart, reconnects within 1 s, InfluxDB database {@code db}, Kafka on when {@code kafka} is not null, 10 s windows.
     */
    public static String services(String name, MosquittoServer mosquitto, InfluxServer influx, String db, KafkaServer kafka) {
        String kafkaSection = kafka == null ? "    enabled: false\n" : """
                    bootstrap-servers: %s
                    aggregates-topic: %s.aggregates
                    alerts-topic: %s.alerts
                    dead-letters-topic: %s.deadletters
                    late-topic: %s.late
                    readings-topic: %s.readings
                runtime-rules:
                  topic: %s.rules
                  status-topic: %s.rules.status
                  commands-topic: %s.alerts.commands
                """.formatted(kafka.bootstrapServers(), name, name, name, name, name, name, name, name);
        return """
                job:
                  name: %s
                  checkpoint-interval: 500ms
                  flink-config:
                    restart-strategy.type: fixed-delay
                    restart-strategy.fixed-delay.attempts: "3"
                    restart-strategy.fixed-delay.delay: 200ms
                mqtt:
                  servers: [tcp://127.0.0.1:%d]
                  client-id-prefix: %s
                  reconnect-max-delay: 1s
                window:
                  size: 10s
                sinks:
                  influxdb:
                    url: %s
                    bucket: %s/autogen
                    flush-interval: 200ms
                  kafka:
                """.formatted(name, mosquitto.port(), name, influx.url(), db) + kafkaSection;
    }
}
