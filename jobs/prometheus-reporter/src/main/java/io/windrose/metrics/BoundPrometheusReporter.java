package io.windrose.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter (the metrics of {@link AbstractPrometheusReporter}) served on {@code host:port}, the
 * first port of the range that is free, as Flink's own {@code PrometheusReporter} does on every interface.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {
    private final HTTPServer server;
    private final String host;

    BoundPrometheusReporter(String host, PortRange ports) {
        CollectorRegistry registry = registry(this);
        HTTPServer started = null;
        IOException failure = null;
        for (Iterator<Integer> it = ports.getPortsIterator(); it.hasNext() && started == null; ) {
            int candidate = it.next();
            try {
                started = new HTTPServer(new InetSocketAddress(host, candidate), registry);
            } catch (IOException e) {
                failure = e;
                log.debug("Could not start the Prometheus reporter's HTTP server on {}:{}", host, candidate, e);
            }
        }
        if (started == null) {
            throw new RuntimeException("Could not start the Prometheus reporter's HTTP server on " + host + ", any port of "
                    + ports, failure);
        }
        this.server = started;
        this.host = host;
        log.info("Started the Prometheus reporter's HTTP server on {}:{}", host, server.getPort());
    }

    public String host() {
        return host;
    }

    /** The port it listens on. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    /**
     * The registry the abstract reporter fills: Flink keeps it package-private ({@code AbstractPrometheusReporter.registry}
     * in 2.2.1), for its own reporters in that package. If a Flink upgrade renames it, the reporter fails at start,
     * saying so (and the tests that scrape the reporter fail).
     */
    private static CollectorRegistry registry(AbstractPrometheusReporter reporter) {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(reporter);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this Flink's AbstractPrometheusReporter has no field 'registry' (it had in"
                    + " Flink 2.2.1): " + e, e);
        }
    }
}
