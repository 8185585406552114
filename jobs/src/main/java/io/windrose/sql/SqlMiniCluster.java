package io.windrose.sql;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * The Flink options of {@code windrose sql}'s own mini-cluster. It must run beside a Windrose job on the same machine,
 * so it takes none of the job's ports: its REST API and Web UI listen on a free port of 127.0.0.1 (not 8081) and it
 * has no metrics reporter (not 9249); jar uploads are refused, the blob server stays on 127.0.0.1. Checkpoints every
 * 2 s as the job's, because the MQTT source acks messages when a checkpoint completes. The script's
 * {@code SET 'key' = 'value'} statements override all of it (e.g. {@code SET 'rest.bind-port' = '8082'}).
 */
final class SqlMiniCluster {
    static final String LOOPBACK = "127.0.0.1";
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(2);

    private SqlMiniCluster() {}

    static Configuration options(SqlScript script) {
        Configuration options = new Configuration();
        options.setString("rest.bind-address", LOOPBACK);
        options.setString("rest.address", LOOPBACK);
        options.setString("rest.bind-port", "0");
        options.setString("web.submit.enable", "false");
        options.setString("jobmanager.bind-host", LOOPBACK);
        options.setString("taskmanager.bind-host", LOOPBACK);
        options.setString("execution.checkpointing.interval", CHECKPOINT_INTERVAL.toMillis() + " ms");
        options.setString("parallelism.default", "1"); // a mini-cluster would take one per core
        options.setString("pipeline.name", "windrose sql " + script.file());
        script.settings().forEach(options::setString);
        return options;
    }
}
