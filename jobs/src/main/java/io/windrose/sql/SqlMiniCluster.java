package io.windrose.sql;

import io.windrose.cli.SideJobCluster;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The Flink options of {@code windrose sql}'s own mini-cluster: beside a Windrose job ({@link SideJobCluster}), and
 * checkpointing every 2 s as the job does, because the MQTT source acks messages when a checkpoint completes. The
 * script's {@code SET 'key' = 'value'} statements override all of it (e.g. {@code SET 'rest.bind-port' = '8082'}).
 */
final class SqlMiniCluster {
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    private SqlMiniCluster() {}

    static Configuration options(SqlScript script) {
        Configuration options = SideJobCluster.options();
        options.setString("execution.checkpointing.interval", CHECKPOINT_INTERVAL.toMillis() + " ms");
        options.setString("pipeline.name", "windrose sql " + script.file());
        script.settings().forEach(options::setString);
        return options;
    }
}
