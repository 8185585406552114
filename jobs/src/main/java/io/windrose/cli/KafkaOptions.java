package io.windrose.cli;

import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.sink.KafkaSinkConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --config FILE} / {@code --bootstrap-servers HOST:PORT}: the Kafka of the commands that talk to a running job
 * ({@code consume}, {@code rules}). Kafka's servers: {@code --bootstrap-servers}, else the pipeline file's
 * {@code sinks.kafka.bootstrap-servers}, else {@code $WINDROSE_BOOTSTRAP_SERVERS} (the launcher sets it for the local
 * stack), else 127.0.0.1:9092.
 */
public final class KafkaOptions {
    /** The environment variable with Kafka's servers when neither option gives them. */
    public static final String BOOTSTRAP_SERVERS_ENV = "WINDROSE_BOOTSTRAP_SERVERS";
    /** The local stack's Kafka. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    // INHERIT: `windrose rules --config F list` and `windrose rules list --config F` both work
    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A pipeline file: Kafka's servers, topics and properties from its sinks.kafka section.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
            description = "Kafka. Default: the --config file's, else $" + BOOTSTRAP_SERVERS_ENV + ", else "
                    + DEFAULT_BOOTSTRAP_SERVERS + ".")
    String bootstrapServers;

    /** The Kafka settings these options give, with the defaults of this process's environment. */
    public KafkaSinkConfig kafka() {
        return kafka(System::getenv);
    }

    /** The Kafka settings these options give: {@code --config}'s section (or the defaults), then the options. */
    public KafkaSinkConfig kafka(Function<String, String> environment) {
        KafkaSinkConfig kafka;
        if (config != null) {
            kafka = new PipelineConfigLoader(environment).load(config, List.of()).sinks.kafka;
        } else {
            kafka = new KafkaSinkConfig();
            String fromEnvironment = environment.apply(BOOTSTRAP_SERVERS_ENV);
            kafka.bootstrapServers = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_BOOTSTRAP_SERVERS
                    : fromEnvironment.trim();
        }
        if (bootstrapServers != null) {
            kafka.bootstrapServers = bootstrapServers;
        }
        return kafka;
    }
}
