package io.windrose.localcluster;

import java.util.Collections;
import java.util.IdentityHashMap;
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
 * A Flink metric reporter that keeps the job's own metric objects in memory, so a test or a benchmark running the job
 * in a mini-cluster of its JVM reads counters and gauges live. Turned on by {@link #flinkConfig()}.
 */
public final class InMemoryMetrics implements MetricReporterFactory, MetricReporter {
    private static final Map<String, List<Metric>> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<String, Metric> BY_TASK = new ConcurrentHashMap<>();
    private static final Map<Metric, String> IDENTIFIERS = Collections.synchronizedMap(new IdentityHashMap<>());

    /** The Flink settings that register this reporter. */
    public static Map<String, String> flinkConfig() {
        return Map.of("metrics.reporter.in-memory.factory.class", InMemoryMetrics.class.getName());
    }

    /** Forgets every metric (call before starting the next job). */
    public static void reset() {
        BY_NAME.clear();
        BY_TASK.clear();
        IDENTIFIERS.clear();
    }

    /** Sum over every counter of that name: all subtasks, and tasks that ended or restarted. */
    public static long count(String name) {
        return count(name, "");
    }

    /**
     * As {@link #count(String)}, only counters of the operator or task named {@code scope} (e.g. "Source: mqtt"):
     * Flink's task-level counters sum those of the task's operators.
     */
    public static long count(String name, String scope) {
        long sum = 0;
        for (Metric metric : BY_NAME.getOrDefault(name, List.of())) {
            if (metric instanceof Counter counter && IDENTIFIERS.getOrDefault(metric, "").contains(scope)) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    /** Sum over the numeric gauges of that name registered now, or -1 when there is none. */
    public static long gauge(String name) {
        long sum = -1;
        for (Metric metric : BY_NAME.getOrDefault(name, List.of())) {
            if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                sum = Math.max(sum, 0) + n.longValue();
            }
        }
        return sum;
    }

    /**
     * A per-second task gauge (e.g. busyTimeMsPerSecond) of subtask 0 of the task whose (chained) name contains
     * {@code taskPart}, or -1.
     */
    public static double taskGauge(String taskPart, String name) {
        for (Map.Entry<String, Metric> entry : BY_TASK.entrySet()) {
            if (entry.getKey().contains(taskPart) && entry.getKey().endsWith("/0/" + name)
                    && entry.getValue() instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                return n.doubleValue();
            }
        }
        return -1;
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
        IDENTIFIERS.put(metric, group.getMetricIdentifier(name));
        String task = group.getAllVariables().get("<task_name>");
        if (task != null && name.endsWith("PerSecond")) {
            BY_TASK.put(task + "/" + group.getAllVariables().getOrDefault("<subtask_index>", "0") + "/" + name, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // counters stay (their totals across restarts are what callers look at); gauges go with their task
        List<Metric> metrics = BY_NAME.get(name);
        if (metrics != null && metric instanceof Gauge<?>) {
            metrics.remove(metric);
        }
    }
}
