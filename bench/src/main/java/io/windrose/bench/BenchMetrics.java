package io.windrose.bench;

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
 * A Flink metric reporter that keeps the job's own metric objects in memory, so the benchmark reads the pipeline's
 * counters (e.g. {@code readingsDecoded}) and checkpoint gauges directly. Enabled with
 * {@code metrics.reporter.bench.factory.class: io.windrose.bench.BenchMetrics}.
 */
public final class BenchMetrics implements MetricReporterFactory, MetricReporter {
    private static final Map<String, List<Metric>> BY_NAME = new ConcurrentHashMap<>();
    private static final Map<String, Metric> BY_TASK = new ConcurrentHashMap<>();

    static Map<String, String> flinkConfig() {
        return Map.of("metrics.reporter.bench.factory.class", BenchMetrics.class.getName());
    }

    static void reset() {
        BY_NAME.clear();
        BY_TASK.clear();
    }

    /** A task-level gauge (e.g. busyTimeMsPerSecond) of the task whose name starts with {@code taskPrefix}, or -1. */
    static double taskGauge(String taskPrefix, String name) {
        for (Map.Entry<String, Metric> entry : BY_TASK.entrySet()) {
            if (entry.getKey().startsWith(taskPrefix) && entry.getKey().endsWith("/" + name)
                    && entry.getValue() instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                return n.doubleValue();
            }
        }
        return -1;
    }

    /** Sum of every counter of that name (all subtasks). */
    static long count(String name) {
        long sum = 0;
        for (Metric metric : BY_NAME.getOrDefault(name, List.of())) {
            if (metric instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    /** The latest registered gauge of that name, as a number (or -1). */
    static long gauge(String name) {
        List<Metric> metrics = BY_NAME.getOrDefault(name, List.of());
        for (int i = metrics.size() - 1; i >= 0; i--) {
            if (metrics.get(i) instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                return n.longValue();
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
        String task = group.getAllVariables().get("<task_name>");
        if (task != null && name.endsWith("PerSecond")) {
            BY_TASK.put(task + "/" + group.getAllVariables().getOrDefault("<subtask_index>", "0") + "/" + name, metric);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {}
}
