package io.windrose.bench;

import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.pipeline.PipelineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Scenario 4: many distinct sensors with the heap and the RocksDB state backends: throughput, checkpoint size and
 * duration, and state bytes per sensor (largest checkpoint / sensors). Each sensor sends two readings in one window,
 * so at checkpoint time every sensor has live window state.
 */
final class KeyScaleScenario {
    private final Results results;

    KeyScaleScenario(Results results) {
        this.results = results;
    }

    void run(int sensors, String backend) throws Exception {
        int readings = Math.max(2 * sensors, 200_000);
        Figures figures = measure(new Load(readings, sensors), backend, config -> {});
        results.add("keys-" + label(sensors) + "-" + backend, "readings_per_s", figures.measured().rate(), "sensors",
                sensors, "readings", readings, "checkpoint_bytes", figures.checkpointBytes(), "checkpoint_ms",
                figures.checkpointMs(), "state_bytes_per_sensor", figures.bytesPerSensor(sensors), "cpu_cores",
                figures.measured().cores());
    }

    /** Throughput of the whole in-job pipeline and the largest checkpoint while it ran. */
    record Figures(InJobScenario.Measured measured, long checkpointBytes, long checkpointMs) {
        Double bytesPerSensor(int sensors) {
            return checkpointBytes > 0 ? (double) checkpointBytes / sensors : null;
        }
    }

    /** Runs {@code load} through the pipeline ({@code tweak} changes its configuration), checkpointing every 2 s. */
    static Figures measure(Load load, String backend, Consumer<PipelineConfig> tweak) throws Exception {
        Path checkpoints = Files.createTempDirectory("bench-checkpoints");
        PipelineConfig config = BenchConfig.pipeline(1, 1, 1, "keys", null, "none", null, "none");
        config.job.checkpointInterval = Duration.ofSeconds(2);
        config.job.flinkConfig.put("state.backend.type", backend);
        // RocksDB as it is run for large state: incremental checkpoints (the size is then that of the new files)
        config.job.flinkConfig.put("execution.checkpointing.incremental", String.valueOf(backend.equals("rocksdb")));
        config.job.flinkConfig.put("execution.checkpointing.dir", checkpoints.toUri().toString());
        config.job.flinkConfig.put("execution.checkpointing.min-pause", "500ms");
        tweak.accept(config);
        AtomicLong maxSize = new AtomicLong(-1);
        AtomicLong durationAtMax = new AtomicLong(-1);
        AtomicBoolean done = new AtomicBoolean();
        InMemoryMetrics.reset();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                long size = InMemoryMetrics.gauge("lastCheckpointSize");
                if (size > maxSize.get()) {
                    maxSize.set(size);
                    durationAtMax.set(InMemoryMetrics.gauge("lastCheckpointDuration"));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "checkpoint-sampler");
        sampler.start();
        InJobScenario.Measured measured;
        try {
            measured = InJobScenario.execute(load, true, config, null);
        } finally {
            done.set(true);
            sampler.join();
            deleteRecursively(checkpoints);
        }
        return new Figures(measured, maxSize.get(), durationAtMax.get());
    }

    static String label(int sensors) {
        return sensors >= 1_000_000 ? sensors / 1_000_000 + "M" : sensors >= 1000 ? sensors / 1000 + "k" : "" + sensors;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
