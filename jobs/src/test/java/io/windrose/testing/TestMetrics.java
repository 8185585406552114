package io.windrose.testing;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter keeping the job's own metric objects, so a test reads counters and gauges of a mini-cluster
 * job live. Turn it on with {@link #flinkConfig()} in the job's Flink configuration.
 */
public final class TestMetrics implements MetricReporterFactory, MetricReporter {
    private static final Map<String, List<Metric>> BY_NAME = new ConcurrentHashMap<>();

    /** The Flink settings that register this reporter. */
    public static Map<String, String> flinkConfig() {
        return Map.of("metrics.reporter.test.factory.class", TestMetrics.class.getName());
    }

    public static void reset() {
        BY_NAME.clear();
    }

    /** Sum over every counter of that name (all subtasks, all restarts). */
    public static long count(String name) {
        long sum = 0;
        for (Metric metric : BY_NAME.getOrDefault(name, List.of())) {
            if (metric instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    /** Sum over every numeric gauge of that name that is registered now, or -1 when there is none. */
    public static long gauge(String name) {
        long sum = -1;
        for (Metric metric : BY_NAME.getOrDefault(name, List.of())) {
            if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                sum = Math.max(sum, 0) + n.longValue();
            }
        }
        return sum;
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return this;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        BY_NAME.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        List<Metric> metrics = BY_NAME.get(name);
        // counters stay (their totals across restarts are what tests look at); gauges go with their task
        if (metrics != null && metric instanceof Gauge<?>) {
            metrics.remove(metric);
        }
    }
}
