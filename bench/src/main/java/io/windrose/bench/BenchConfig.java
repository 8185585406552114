package io.windrose.bench;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The pipeline the benchmarks run: the shipped local-cluster shape (10 s windows, one threshold rule, both sinks). Its
 * at-least-once sessions expire 5 s after a run: a session left at the broker would have it queue every later message
 * of the bench for a reader that is gone. InfluxDB through its 1.x API, straight to influxd as the peer writes: the v2
 * gateway in front of influxd 1.6.7 runs in the bench's JVM, and its CPU (0.2-0.4 µs per reading) counted as the job's.
 * Uncompressed, as the peer writes (influxdb-python's default) and as one would to an influxd on the same host: gzip,
 * on by default for the network, costs the job 6.7 µs per 30-field window point (microbenchmark), 0.3-0.7 µs per
 * reading in the e2e runs.
 */
final class BenchConfig {
    private BenchConfig() {}

    static PipelineConfig pipeline(int mqttPort, int qos, int parallelism, String clientPrefix, String influxUrl,
            String database, String kafkaBootstrap, String topicPrefix) {
        return load(yaml(mqttPort, qos, parallelism, clientPrefix, influxUrl, database, kafkaBootstrap, topicPrefix, false));
    }

    /**
     * The pipeline file's text; {@code archive}: with the archive of readings ({@code sinks.kafka.readings-topic}
     * {@code <topicPrefix>.readings}; needs {@code kafkaBootstrap}).
     */
    static String yaml(int mqttPort, int qos, int parallelism, String clientPrefix, String influxUrl,
            String database, String kafkaBootstrap, String topicPrefix, boolean archive) {
        return """
                job:
                  parallelism: %d
                  checkpoint-interval: 1s
                  flink-config:
                    metrics.reporter.in-memory.factory.class: io.windrose.localcluster.InMemoryMetrics
                mqtt:
                  servers: [tcp://127.0.0.1:%d]
                  client-id-prefix: %s
                  shared-group: %s
                  qos: %d
                  delivery: %s
                  session-expiry: 5s
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                    format: json
                event-time:
                  max-out-of-orderness: 2s
                window:
                  size: 10s
                rules:
                  - name: too-hot
                    field: temperature
                    above: 30
                sinks:
                  influxdb:
                    enabled: %b
                    api: v1
                    url: %s
                    database: %s
                    gzip: false
                  kafka:
                    enabled: %b
                    bootstrap-servers: %s
                    aggregates-topic: %s.aggregates
                    alerts-topic: %s.alerts
                    dead-letters-topic: %s.deadletters
                    late-topic: %s.late
                    readings-topic: %s
                """.formatted(parallelism, mqttPort, clientPrefix, clientPrefix, qos, qos == 0 ? "at-most-once" : "at-least-once",
                influxUrl != null,
                influxUrl == null ? "http://127.0.0.1:1" : influxUrl, database, kafkaBootstrap != null,
                kafkaBootstrap == null ? "127.0.0.1:1" : kafkaBootstrap, topicPrefix, topicPrefix, topicPrefix, topicPrefix,
                // without the archive unless asked: the e2e figures measure the pipeline as the peer runs it
                archive ? topicPrefix + ".readings" : "null");
    }

    static PipelineConfig load(String yaml) {
        try {
            Path file = Files.createTempFile("bench-pipeline", ".yaml");
            Files.writeString(file, yaml);
            PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
            Files.delete(file);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
