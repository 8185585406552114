package io.windrose.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** CPU time of this JVM and of other processes (from /proc), to turn rates into rates per core. */
final class Cpu {
    private Cpu() {}

    static long thisProcessNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long thisThreadNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /**
     * CPU time of this JVM's threads but the caller's (Java and native: GC, compilers), from /proc/self/task, summed by
     * thread name with its numbers taken out ("GC Thread#1" and "GC Thread#0" count as "GC Thread#"); names are the
     * kernel's, cut at 15 characters.
     */
    static Map<String, Long> threadNanosByName() {
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            return threadNanosByName(Path.of("/proc/self/task"), self);
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** As {@link #threadNanosByName()}, of another process (all its threads). */
    static Map<String, Long> threadNanosByName(long pid) {
        return threadNanosByName(Path.of("/proc/" + pid + "/task"), null);
    }

    private static Map<String, Long> threadNanosByName(Path taskDir, String skip) {
        Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(taskDir)) {
            for (Path task : tasks) {
                if (task.getFileName().toString().equals(skip)) {
                    continue; // the caller: the bench's own thread (publisher, polling), not the job's
                }
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    byName.merge(ProcStat.name(stat).replaceAll("[0-9]+", ""), ProcStat.cpuNanos(stat), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we read it
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byName;
    }

    /** CPU of the JIT compiler threads in a {@link #threadNanosByName()} snapshot. */
    static long compilerNanos(Map<String, Long> threads) {
        return threads.entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * Waits until the JIT compiler threads have used under 5 ms of CPU in 250 ms (the compilations queued before are
     * done), at most {@code timeout}.
     */
    static void awaitCompilerQuiet(java.time.Duration timeout) throws InterruptedException {
        awaitCompilerQuiet(Cpu::compilerNanos, timeout);
    }

    /** As {@link #awaitCompilerQuiet(java.time.Duration)}, for another JVM. */
    static void awaitCompilerQuiet(long pid, java.time.Duration timeout) throws InterruptedException {
        awaitCompilerQuiet(() -> compilerNanos(threadNanosByName(pid)), timeout);
    }

    private static void awaitCompilerQuiet(java.util.function.LongSupplier compilerNanos, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long before = compilerNanos.getAsLong();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = compilerNanos.getAsLong();
            if (now - before < 5_000_000) {
                return;
            }
            before = now;
        }
    }

    private static long compilerNanos() {
        return compilerNanos(threadNanosByName());
    }

    /** The largest differences between two {@link #threadNanosByName()} snapshots, in µs per unit, largest first. */
    static String split(Map<String, Long> before, Map<String, Long> after, long units, int most) {
        StringBuilder out = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(most)
                .forEach(e -> out.append(out.length() > 0 ? ", " : "").append(e.getKey()).append(' ')
                        .append(String.format(java.util.Locale.ROOT, "%.1f", e.getValue() / 1e3 / units)));
        return out.toString();
    }

    /** utime + stime of a process, in nanoseconds (0 when unknown). */
    static long processNanos(long pid) {
        return ProcStat.processCpuNanos(pid);
    }

    /**
     * Waits until a process has used under {@code quietNanos} of CPU in 250 ms (say influxd's compactions after a run's
     * writes are done, so that the next run is not charged for them), at most {@code timeout}.
     */
    static void awaitProcessQuiet(long pid, long quietNanos, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long before = processNanos(pid);
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = processNanos(pid);
            if (now - before < quietNanos) {
                return;
            }
            before = now;
        }
    }
}
