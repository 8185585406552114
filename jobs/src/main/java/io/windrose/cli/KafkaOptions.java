package io.windrose.cli;

import io.windrose.pipeline.PipelineConfig;
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
 * stack), else 127.0.0.1:9092. The topics, Kafka's properties and the runtime rules' topics ({@code runtime-rules}):
 * the pipeline file's, else the defaults.
 */
public final class KafkaOptions {
    /** The environment variable with Kafka's servers when neither option gives them. */
    public static final String BOOTSTRAP_SERVERS_ENV = "WINDROSE_BOOTSTRAP_SERVERS";
    /** The local stack's Kafka. */
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";

    // INHERIT: `windrose rules --config F list` and `windrose rules list --config F` both work
    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "A pipeline file: Kafka's servers, topics and properties from its sinks.kafka section, the"
                    + " runtime rules' topics from its runtime-rules section.")
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
        return pipeline(environment).sinks.kafka;
    }

    /** The pipeline these options give, with the defaults of this process's environment. */
    public PipelineConfig pipeline() {
        return pipeline(System::getenv);
    }

    /**
     * The pipeline these options give, of which these commands read {@code sinks.kafka} and {@code runtime-rules}:
     * {@code --config}'s file (or the defaults), then the options.
     */
    public PipelineConfig pipeline(Function<String, String> environment) {
        PipelineConfig pipeline;
        if (config != null) {
            pipeline = new PipelineConfigLoader(environment).load(config, List.of());
        } else {
            pipeline = new PipelineConfig();
            String fromEnvironment = environment.apply(BOOTSTRAP_SERVERS_ENV);
            pipeline.sinks.kafka.bootstrapServers = fromEnvironment == null || fromEnvironment.isBlank()
                    ? DEFAULT_BOOTSTRAP_SERVERS : fromEnvironment.trim();
        }
        if (bootstrapServers != null) {
            pipeline.sinks.kafka.bootstrapServers = bootstrapServers;
        }
        return pipeline;
    }
}
