package io.windrose.metrics;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter, listening on one address: {@code metrics.reporter.<name>.host} (default
 * {@code 127.0.0.1}; {@code 0.0.0.0} for every interface) and {@code metrics.reporter.<name>.port} (a port, a range
 * {@code 9249-9251} or a list, as Flink's; default 9249).
 *
 * <p>FOUND (flink-metrics-prometheus 2.2.1, read from its classes): {@code PrometheusReporterFactory} reads only
 * {@code port}; {@code PrometheusReporter}'s constructor starts its HTTP server on {@code new InetSocketAddress(port)},
 * the wildcard address, at once, so neither a subclass nor a wrapper can choose the address. This reporter is the same
 * metrics (it extends Flink's {@code AbstractPrometheusReporter}, which turns Flink metrics into Prometheus collectors)
 * served by the same Prometheus HTTP server class, started on {@code host:port} instead.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {
    public static final String ARG_HOST = "host";
    public static final String ARG_PORT = "port";
    public static final String DEFAULT_HOST = "127.0.0.1";
    static final String DEFAULT_PORT = "9249";

    @Override
    public BoundPrometheusReporter createMetricReporter(Properties properties) {
        MetricConfig config = properties instanceof MetricConfig metricConfig ? metricConfig : copy(properties);
        return new BoundPrometheusReporter(config.getString(ARG_HOST, DEFAULT_HOST),
                new PortRange(config.getString(ARG_PORT, DEFAULT_PORT)));
    }

    private static MetricConfig copy(Properties properties) {
        MetricConfig config = new MetricConfig();
        properties.stringPropertyNames().forEach(name -> config.setProperty(name, properties.getProperty(name)));
        return config;
    }
}
