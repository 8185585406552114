package io.windrose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code consume} and {@code rules} find Kafka: --bootstrap-servers, --config, $WINDROSE_BOOTSTRAP_SERVERS,
 * default; and the runtime rules' topics: --config's, else the defaults.
 */
class KafkaOptionsTest {
    private static final Function<String, String> NO_ENV = name -> null;
    private static final Function<String, String> ENV = Map.of("WINDROSE_BOOTSTRAP_SERVERS", "127.0.0.1:19092")::get;

    @TempDir
    Path dir;

    @Test
    void theLocalStackByDefault() {
        assertThat(new KafkaOptions().kafka(NO_ENV).bootstrapServers).isEqualTo("127.0.0.1:9092");
        assertThat(new KafkaOptions().kafka(name -> " ").bootstrapServers).isEqualTo("127.0.0.1:9092");
    }

    @Test
    void theEnvironmentOverTheDefault() {
        assertThat(new KafkaOptions().kafka(ENV).bootstrapServers).isEqualTo("127.0.0.1:19092");
    }

    @Test
    void thePipelineFileOverTheEnvironment() throws IOException {
        KafkaOptions options = new KafkaOptions();
        options.config = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  kafka: {bootstrap-servers: 'kafka-1:9092', alerts-topic: site.alerts}
                runtime-rules: {topic: site.rules}
                """);
        assertThat(options.kafka(ENV).bootstrapServers).isEqualTo("kafka-1:9092");
        assertThat(options.kafka(ENV).alertsTopic).isEqualTo("site.alerts");
        // the runtime rules' topics: the file's, on the file's Kafka
        assertThat(options.pipeline(ENV).runtimeRules.topic).isEqualTo("site.rules");
        assertThat(options.pipeline(ENV).runtimeRules.statusTopic).isEqualTo("telemetry.rules.status");
        assertThat(options.pipeline(ENV).sinks.kafka.bootstrapServers).isEqualTo("kafka-1:9092");
    }

    @Test
    void theOptionOverEverything() throws IOException {
        KafkaOptions options = new KafkaOptions();
        options.bootstrapServers = "kafka-2:9092";
        assertThat(options.kafka(ENV).bootstrapServers).isEqualTo("kafka-2:9092");
        options.config = Files.writeString(dir.resolve("pipeline.yaml"), """
                routes: [{name: sensors, topic-template: 'x/{sensor}'}]
                sinks:
                  kafka: {bootstrap-servers: 'kafka-1:9092'}
                """);
        assertThat(options.kafka(ENV).bootstrapServers).isEqualTo("kafka-2:9092");
        assertThat(options.pipeline(ENV).sinks.kafka.bootstrapServers).isEqualTo("kafka-2:9092");
    }

    @Test
    void withoutAFileTheRuntimeRulesTopicsAreTheDefaults() {
        assertThat(new KafkaOptions().pipeline(NO_ENV).runtimeRules.topic).isEqualTo("telemetry.rules");
        assertThat(new KafkaOptions().pipeline(NO_ENV).runtimeRules.statusTopic).isEqualTo("telemetry.rules.status");
    }
}
