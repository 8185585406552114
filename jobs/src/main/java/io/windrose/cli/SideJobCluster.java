package io.windrose.cli;

import org.apache.flink.configuration.Configuration;

/**
 * The Flink options of a mini-cluster that runs beside a Windrose job on the same machine ({@code windrose sql},
 * {@code windrose replay}): it takes none of the job's ports — its REST API and Web UI on a free port of 127.0.0.1
 * (not 8081), no metrics reporter (not 9249), jar uploads refused, the blob server on 127.0.0.1 — and runs with
 * parallelism 1 unless told otherwise.
 */
public final class SideJobCluster {
    private static final String LOOPBACK = "127.0.0.1";

    private SideJobCluster() {}

    public static Configuration options() {
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
