package io.windrose.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code local-cluster/upgrade}: the job on the local stack's Flink session cluster stopped with a savepoint (REST
 * stop-with-savepoint), then the current cluster jar run from it with the pipeline file and {@code --set} overrides —
 * a new jar, a changed pipeline, another parallelism. Prints the savepoint and the new job id. When the new job cannot
 * start from the savepoint (state it has no place for), the previous jar runs again from it with the previous
 * arguments, so a failed upgrade leaves the job as it was.
 */
public final class FlinkUpgrade {
    /** The job's main class (the cluster jar's manifest names it too). */
    static final String ENTRY_CLASS = "io.windrose.WindroseJob";

    private FlinkUpgrade() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("local-cluster/run");
        Path jar = Path.of("jobs/target/windrose-job-cluster.jar");
        Path config = Path.of("local-cluster/pipeline.yaml");
        List<String> overrides = new ArrayList<>();
        boolean allowNonRestoredState = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--cluster-jar" -> jar = Path.of(args[++i]);
                case "--config" -> config = Path.of(args[++i]);
                case "--set" -> overrides.add(args[++i]);
                case "--allow-non-restored-state" -> allowNonRestoredState = true;
                default -> {
                    System.err.println("upgrade: unknown argument " + args[i]
                            + " (expected --config FILE, --set key=value, --allow-non-restored-state)");
                    System.exit(2);
                }
            }
        }
        Path flink = dir.resolve("flink");
        if (!Files.exists(flink.resolve("job-id"))) {
            System.err.println("upgrade: no job on a Flink session cluster here: start one with local-cluster/up --flink-cluster");
            System.exit(2);
        }
        FlinkRest rest = new FlinkRest(Files.readString(flink.resolve("rest-url")).trim());
        String job = Files.readString(flink.resolve("job-id")).trim();
        System.out.println("upgrade: stopping job " + job + " with a savepoint");
        String savepoint = rest.stopWithSavepoint(job, flink.resolve("savepoints").toAbsolutePath().toUri().toString(),
                Duration.ofMinutes(2));
        System.out.println("upgrade: savepoint " + savepoint);
        List<String> programArgs = new ArrayList<>(List.of("--config", config.toAbsolutePath().toString()));
        // first the overrides that point the job at the stack's services (their ports from the endpoints file, as
        // local-cluster/up does it), then the user's
        Path endpoints = dir.resolve("endpoints");
        if (Files.exists(endpoints)) {
            List<String> decisions = new ArrayList<>();
            StackOverrides.of(config, StackPorts.fromEndpoints(StackPorts.readEndpoints(endpoints)), false, System::getenv,
                    decisions).forEach(override -> programArgs.addAll(List.of("--set", override)));
            decisions.forEach(line -> System.out.println("upgrade: " + line));
        }
        overrides.forEach(override -> programArgs.addAll(List.of("--set", override)));
        String jarId = rest.upload(jar);
        String upgraded;
        try {
            upgraded = rest.run(jarId, ENTRY_CLASS, programArgs, 0, savepoint, allowNonRestoredState);
        } catch (IOException e) {
            System.err.println("upgrade: the new job did not start from " + savepoint + ":\n  " + e.getMessage());
            String previousJar = Files.readString(flink.resolve("jar-id")).trim();
            List<String> previousArgs = Files.readAllLines(flink.resolve("job-args"));
            String rolledBack = rest.run(previousJar, ENTRY_CLASS, previousArgs, 0, savepoint, false);
            Files.writeString(flink.resolve("job-id"), rolledBack + "\n");
            Files.writeString(flink.resolve("last-savepoint"), savepoint + "\n");
            System.err.println("upgrade: rolled back: job " + rolledBack + " runs the previous jar with " + previousArgs
                    + " from " + savepoint);
            System.exit(1);
            return;
        }
        Files.writeString(flink.resolve("job-id"), upgraded + "\n");
        Files.writeString(flink.resolve("jar-id"), jarId + "\n");
        Files.write(flink.resolve("job-args"), programArgs);
        Files.writeString(flink.resolve("last-savepoint"), savepoint + "\n");
        rest.awaitRunning(upgraded, Duration.ofMinutes(2));
        System.out.println("upgrade: job " + upgraded + " running from " + savepoint + " with " + programArgs
                + " — Web UI " + Files.readString(flink.resolve("rest-url")).trim() + "/#/job/running/" + upgraded);
    }
}
