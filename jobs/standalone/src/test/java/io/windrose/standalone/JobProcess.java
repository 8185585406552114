package io.windrose.standalone;

import io.windrose.localcluster.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code java -jar windrose-job.jar --config ...} as its own process, the way users run the standalone job. */
public final class JobProcess implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("windrose.job.jar", "../target/windrose-job.jar"));

    private final ManagedProcess process;

    private JobProcess(ManagedProcess process) {
        this.process = process;
    }

    /** Starts the job of {@code pipeline}; its output goes to {@code <dir>/<run>.log}. */
    public static JobProcess start(Path dir, String run, Path pipeline, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toAbsolutePath().toString(), "--config", pipeline.toString()));
        command.addAll(List.of(args));
        return new JobProcess(ManagedProcess.start("windrose-job-" + run, command, dir, dir.resolve(run + ".log")));
    }

    /** Waits until {@code readers} MQTT readers subscribed (the job runs). */
    public JobProcess awaitSubscribed(int readers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (log().stream().filter(line -> line.contains(" subscribed to [")).count() < readers) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the job did not subscribe " + readers + " reader(s); its log:\n" + process.tail());
            }
            sleep(100);
        }
        return this;
    }

    /** SIGTERM, as {@code local-cluster/down} or a service manager sends it; returns the exit code. */
    int stop() {
        process.stop(Duration.ofSeconds(90));
        return process.awaitExit(Duration.ofSeconds(5));
    }

    /** SIGKILL: a crash, an out-of-memory kill, a pulled plug. */
    public void kill() {
        process.kill();
    }

    /** Waits for the job to end by itself; returns the exit code. */
    int awaitExit() {
        return process.awaitExit(Duration.ofSeconds(90));
    }

    List<String> log() {
        return process.logLines();
    }

    boolean logged(String text) {
        return log().stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.kill();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
