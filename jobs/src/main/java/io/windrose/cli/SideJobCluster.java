package io.windrose.cli;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The Flink options of a mini-cluster that runs beside a Windrose job on the same machine ({@code windrose sql},
 * {@code windrose replay}, {@code windrose backtest}): it takes none of the job's ports — its REST API and Web UI on a free port of 127.0.0.1
 * (not 8081), no metrics reporter (not 9249), jar uploads refused, the blob server on 127.0.0.1 — and runs with
 * parallelism 1 unless told otherwise. Its own log lines are quiet: the command prints what it does.
 */
public final class SideJobCluster {
    private static final String LOOPBACK = "127.0.0.1";

    private SideJobCluster() {}

    /**
     * What a mini-cluster logs at start and end that says nothing to the user of a command: its tasks' state changes
     * (a replay printed 39 such lines around its progress), and warnings that hold for every mini-cluster.
     */
    private static final List<String> NOISE = List.of("org.apache.flink.runtime.executiongraph.ExecutionGraph",
            "org.apache.flink.runtime.security.token.DefaultDelegationTokenManager",
            "org.apache.flink.runtime.webmonitor.WebMonitorUtils",
            "org.apache.flink.connector.kafka.source.KafkaSourceBuilder");

    public static Configuration options() {
        NOISE.forEach(logger -> Configurator.setLevel(logger, Level.ERROR));
        Configuration options = new Configuration();
        options.setString("rest.bind-address", LOOPBACK);
        options.setString("rest.address", LOOPBACK);
        options.setString("rest.bind-port", "0");
        options.setString("web.submit.enable", "false");
        options.setString("jobmanager.bind-host", LOOPBACK);
        options.setString("taskmanager.bind-host", LOOPBACK);
        options.setString("parallelism.default", "1"); // a mini-cluster would take one per core
        return options;
    }
}
