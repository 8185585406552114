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
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

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
        Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            String self = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            for (Path task : tasks) {
                if (task.getFileName().toString().equals(self)) {
                    continue; // the caller: the bench's own thread (publisher, polling), not the job's
                }
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byName.merge(name.replaceAll("[0-9]+", ""), (long) (ticks / TICKS_PER_SECOND * 1e9), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we read it
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return byName;
    }

    /**
     * Waits until the JIT compiler threads have used under 5 ms of CPU in 250 ms (the compilations queued before are
     * done), at most {@code timeout}.
     */
    static void awaitCompilerQuiet(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long before = compilerNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            long now = compilerNanos();
            if (now - before < 5_000_000) {
                return;
            }
            before = now;
        }
    }

    private static long compilerNanos() {
        return threadNanosByName().entrySet().stream().filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue).sum();
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
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return (long) (ticks / TICKS_PER_SECOND * 1e9);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
