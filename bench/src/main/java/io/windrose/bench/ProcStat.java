package io.windrose.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a process's (or thread's) CPU and memory from Linux's /proc: the parsing is pure and tested. */
final class ProcStat {
    static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private ProcStat() {}

    /** The command name in a /proc/.../stat line (between the first '(' and the last ')': names may hold either). */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** utime + stime of a /proc/.../stat line, in nanoseconds. */
    static long cpuNanos(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after the name: state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(11) stime(12)
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return Math.round(ticks / TICKS_PER_SECOND * 1e9);
    }

    /** A "Key:   1234 kB" line of /proc/.../status in bytes (-1 when the key is missing, as for a zombie). */
    static long statusBytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
            }
        }
        return -1;
    }

    /** CPU of a process (all its threads, ended ones included), in ns; 0 when it is gone. */
    static long processCpuNanos(long pid) {
        try {
            return cpuNanos(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident memory now (VmRSS) and at its peak (VmHWM) of a process, in bytes; -1 each when it is gone. */
    static long[] rss(long pid) {
        try {
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            return new long[] {statusBytes(status, "VmRSS"), statusBytes(status, "VmHWM")};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
