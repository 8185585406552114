package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The checkout's local stack as the stack tests drive it ({@link LocalStackTourITCase},
 * {@link LocalStackAlertmanagerITCase}): bash in the repository root, the stack's pids, and the checkout's
 * {@code local-cluster/run} moved aside while a test runs its own stack there and put back after.
 */
final class LocalStackCheckout {
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path RUN = ROOT.resolve("local-cluster/run");

    private LocalStackCheckout() {}

    record Bash(int exit, String output, Path log) {}

    /** {@code bash -euo pipefail -c SCRIPT} in the repository root; stdout and stderr together, also in {@code log}. */
    static Bash bash(String script, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new Bash(-1, Files.readString(log) + "\n(killed after 6 minutes)", log);
        }
        return new Bash(process.exitValue(), Files.readString(log), log);
    }

    /**
     * Before a test runs its own stack: fails if one is up in the checkout, empties {@code out}, and moves the
     * checkout's {@code local-cluster/run} aside; where it went, or null if there was none (for {@link #restore}).
     */
    static Path moveAside(Path out, String test) throws IOException {
        Optional<Long> running = stackPid();
        if (running.isPresent()) {
            fail("a local stack is up in " + RUN + " (pid " + running.get() + "): " + test + " runs local-cluster/up"
                    + " itself; stop yours with local-cluster/down first");
        }
        deleteRecursively(out);
        Files.createDirectories(out);
        if (!Files.exists(RUN)) {
            return null;
        }
        Path saved = RUN.resolveSibling("run.aside-" + ProcessHandle.current().pid());
        Files.move(RUN, saved);
        return saved;
    }

    /**
     * After it: down, as a user would, then whatever the stack left (only its own processes); the test's run
     * directory kept in {@code out/run} for a look after a failure, and the checkout's put back.
     */
    static void restore(Path out, Path saved) throws IOException, InterruptedException {
        if (stackPid().isPresent()) {
            bash("local-cluster/down", out.resolve("cleanup-down.log"));
        }
        for (long pid : stackProcesses().values()) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (Files.exists(RUN)) {
            Files.move(RUN, out.resolve("run"));
        }
        if (saved != null) {
            Files.move(saved, RUN);
        }
    }

    /** The stack's and the job's logs of a phase, copied to {@code out}. */
    static void copyLogs(Path out, String phase) throws IOException {
        for (String log : List.of("stack.log", "job.log")) {
            if (Files.exists(RUN.resolve(log))) {
                Files.copy(RUN.resolve(log), out.resolve("run-" + phase + "-" + log), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The stack process (run/stack.pid) and its children (run/pids), by name. */
    static Map<String, Long> stackProcesses() throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        stackPid().ifPresent(pid -> pids.put("stack", pid));
        Path file = RUN.resolve("pids");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    pids.put(parts[0], Long.parseLong(parts[1]));
                }
            }
        }
        return pids;
    }

    /** The pid of a stack that runs from the checkout's local-cluster/run, if one does. */
    static Optional<Long> stackPid() throws IOException {
        Path file = RUN.resolve("stack.pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(file).trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> pid);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
