package io.windrose.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process whose output goes to a log file; stopped with SIGTERM, then SIGKILL. */
public final class ManagedProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final Path stdout;

    private ManagedProcess(String name, Process process, Path stdout, Path log) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.log = log;
    }

    /** Starts {@code command} in {@code workDir}, stdout and stderr written to {@code log} (emptied first). */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path log) throws IOException {
        return start(name, command, workDir, log, log);
    }

    /** As {@link #start(String, List, Path, Path)}, with {@code environment} added to this process's environment. */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path log,
            Map<String, String> environment) throws IOException {
        return start(name, command, workDir, log, log, environment);
    }

    /** As {@link #start(String, List, Path, Path)} for a program that writes its own log file {@code log}. */
    public static ManagedProcess start(String name, List<String> command, Path workDir, Path stdout, Path log)
            throws IOException {
        return start(name, command, workDir, stdout, log, Map.of());
    }

    private static ManagedProcess start(String name, List<String> command, Path workDir, Path stdout, Path log,
            Map<String, String> environment) throws IOException {
        Files.createDirectories(log.getParent());
        if (!stdout.equals(log)) {
            Files.deleteIfExists(log);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(stdout.toFile()));
        builder.environment().putAll(environment);
        return new ManagedProcess(name, builder.start(), stdout, log);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Waits up to {@code timeout} for the process to end and returns its exit code (-1 if it still runs). */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Calls {@code then} with the exit code when the process ends (at once if it has), on a thread of the JDK's. */
    public void onExit(java.util.function.IntConsumer then) {
        process.onExit().thenAccept(ended -> then.accept(ended.exitValue()));
    }

    /** Waits until a line of the log matches, failing early (with the log's tail) if the process dies. */
    public void awaitLog(Predicate<String> line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (logLines().stream().anyMatch(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            sleep(50);
        }
        throw new IllegalStateException(name + " not ready after " + timeout + "; log " + log + ":\n" + tail());
    }

    /** Waits for the process to end and fails (with the log's tail) unless it exits with 0. */
    public void awaitSuccess(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + timeout + "; log " + log + ":\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with " + process.exitValue() + "; log " + log + ":\n" + tail());
        }
    }

    public List<String> logLines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    public String tail() {
        List<String> lines = new java.util.ArrayList<>(logLines());
        if (!stdout.equals(log)) {
            try {
                lines.addAll(Files.readAllLines(stdout, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // nothing more to show
            }
        }
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Sends SIGTERM and waits; sends SIGKILL to what is left after the grace period. */
    public void stop(Duration grace) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** Kills the process at once, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
