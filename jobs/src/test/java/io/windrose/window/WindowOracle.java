package io.windrose.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.schema.ExtraFieldStats;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The batch reference the window stage must equal: plain Java over a list of readings in arrival order, each with the
 * watermark that follows it. It decides what Flink's rules decide — a duplicate of one of a sensor's last readings is
 * dropped; a reading joins every window of it that is not past its allowed lateness, and is late when all are; session
 * windows merge as they grow — then computes each window's statistics from the readings it holds, by definition:
 * sums and means over all values, first and last by event time, the sample standard deviation, and nearest-rank
 * percentiles (the ⌈q·n⌉-th smallest value). Rollup tiers hold the readings of the windows they are made of.
 */
public final class WindowOracle {
    /** A reading as the test source sends it: then the watermark moves to {@code watermarkAfter}. */
    public record Event(String sensor, long time, Map<String, Double> fields, long watermarkAfter) {}

    /** A window of a sensor, as InfluxDB keys its point: sensor, window tag, start. */
    public record Key(String sensor, String window, long start) {}

    /** A value of a field, with when it happened and when it arrived (ties of first and last go by arrival). */
    public record Value(long time, double value, int arrival) {}

    /** The expected windows (their end and their values per field) and the late readings. */
    public record Result(Map<Key, Long> ends, Map<Key, Map<String, List<Value>>> windows, List<Event> late) {}

    private WindowOracle() {}

    public static Result compute(List<Event> events, WindowConfig window, long allowedLateness, int dedupLastReadings) {
        Map<Key, Long> ends = new TreeMap<>(Comparator.comparing(Key::sensor).thenComparing(Key::window)
                .thenComparingLong(Key::start));
        Map<Key, Map<String, List<Value>>> windows = new TreeMap<>(Comparator.comparing(Key::sensor)
                .thenComparing(Key::window).thenComparingLong(Key::start));
        List<Event> late = new ArrayList<>();
        Map<String, List<Event>> recent = new HashMap<>();
        Map<String, List<Session>> sessions = new HashMap<>();
        Map<String, List<Session>> finished = new HashMap<>();
        long watermark = Long.MIN_VALUE;
        for (int arrival = 0; arrival < events.size(); arrival++) {
            Event event = events.get(arrival);
            List<Event> ring = recent.computeIfAbsent(event.sensor(), s -> new ArrayList<>());
            boolean duplicate = ring.stream().anyMatch(r -> r.time() == event.time() && r.fields().equals(event.fields()));
            if (!duplicate) {
                ring.add(event);
                if (ring.size() > dedupLastReadings) {
                    ring.remove(0);
                }
                boolean accepted = window.sessionGap != null
                        ? joinSession(sessions.computeIfAbsent(event.sensor(), s -> new ArrayList<>()),
                                finished.computeIfAbsent(event.sensor(), s -> new ArrayList<>()), event, arrival,
                                window.sessionGap.toMillis(), allowedLateness, watermark)
                        : joinWindows(windows, ends, event, arrival, window, allowedLateness, watermark);
                if (!accepted) {
                    late.add(event);
                }
            }
            watermark = Math.max(watermark, event.watermarkAfter());
        }
        sessions.forEach((sensor, live) -> finished.computeIfAbsent(sensor, x -> new ArrayList<>()).addAll(live));
        finished.forEach((sensor, all) -> all.forEach(s -> {
            Key key = new Key(sensor, "session", s.start);
            ends.put(key, s.end);
            windows.put(key, s.values);
        }));
        return new Result(ends, windows, late);
    }

    /** Tumbling and sliding windows, and the tiers above tumbling ones. */
    private static boolean joinWindows(Map<Key, Map<String, List<Value>>> windows, Map<Key, Long> ends, Event event,
            int arrival, WindowConfig window, long allowedLateness, long watermark) {
        long size = window.size.toMillis();
        long slide = window.slide == null ? size : window.slide.toMillis();
        boolean accepted = false;
        long lastStart = event.time() - Math.floorMod(event.time(), slide);
        for (long start = lastStart; start > event.time() - size; start -= slide) {
            long maxTimestamp = start + size - 1;
            if (maxTimestamp + allowedLateness <= watermark) {
                continue; // this window is past its lateness: cleaned up, the reading cannot join it
            }
            accepted = true;
            add(windows, ends, new Key(event.sensor(), window.tag(), start), start + size, event, arrival);
            if (window.slide == null) {
                for (var tier : window.tiers) {
                    long tierSize = tier.toMillis();
                    long tierStart = event.time() - Math.floorMod(event.time(), tierSize);
                    add(windows, ends, new Key(event.sensor(), io.windrose.config.Durations.format(tier), tierStart),
                            tierStart + tierSize, event, arrival);
                }
            }
        }
        return accepted;
    }

    private static void add(Map<Key, Map<String, List<Value>>> windows, Map<Key, Long> ends, Key key, long end,
            Event event, int arrival) {
        ends.put(key, end);
        Map<String, List<Value>> fields = windows.computeIfAbsent(key, k -> new LinkedHashMap<>());
        event.fields().forEach((field, value) -> fields.computeIfAbsent(field, f -> new ArrayList<>())
                .add(new Value(event.time(), value, arrival)));
    }

    /** A live session of one sensor. */
    private static final class Session {
        long start;
        long end;
        final Map<String, List<Value>> values = new LinkedHashMap<>();

        Session(long start, long end) {
            this.start = start;
            this.end = end;
        }
    }

    /**
     * Flink's session windows: a reading's own window [t, t + gap) merges with every live session it overlaps, and
     * with those they then overlap (TimeWindow.mergeWindows: sorted by start, bounds inclusive); a session is gone
     * once the watermark passes its end plus the allowed lateness. A reading whose merged window is past that is late.
     */
    private static boolean joinSession(List<Session> live, List<Session> finished, Event event, int arrival, long gap,
            long allowedLateness, long watermark) {
        for (Session s : List.copyOf(live)) {
            if (s.end - 1 + allowedLateness <= watermark) { // cleaned up: it merges no more, and stays as it is
                live.remove(s);
                finished.add(s);
            }
        }
        Session own = new Session(event.time(), event.time() + gap);
        List<Session> all = new ArrayList<>(live);
        all.add(own);
        all.sort(Comparator.comparingLong(s -> s.start));
        List<List<Session>> groups = new ArrayList<>();
        long groupEnd = Long.MIN_VALUE;
        for (Session s : all) {
            if (groups.isEmpty() || s.start > groupEnd) {
                groups.add(new ArrayList<>());
                groupEnd = s.end;
            } else {
                groupEnd = Math.max(groupEnd, s.end);
            }
            groups.get(groups.size() - 1).add(s);
        }
        List<Session> group = groups.stream().filter(g -> g.contains(own)).findFirst().orElseThrow();
        long start = group.stream().mapToLong(s -> s.start).min().orElseThrow();
        long end = group.stream().mapToLong(s -> s.end).max().orElseThrow();
        if (group.size() == 1 && end - 1 + allowedLateness <= watermark) {
            return false;
        }
        Session merged = group.stream().filter(s -> s != own).findFirst().orElse(own);
        for (Session s : group) {
            if (s != merged && s != own) {
                s.values.forEach((f, v) -> merged.values.computeIfAbsent(f, x -> new ArrayList<>()).addAll(v));
                live.remove(s);
            }
        }
        merged.start = start;
        merged.end = end;
        event.fields().forEach((field, value) -> merged.values.computeIfAbsent(field, f -> new ArrayList<>())
                .add(new Value(event.time(), value, arrival)));
        if (merged == own) {
            live.add(own);
        }
        return true;
    }

    // ---- statistics by definition ----

    public static double sum(List<Value> values) {
        return values.stream().mapToDouble(Value::value).sum();
    }

    public static double mean(List<Value> values) {
        return sum(values) / values.size();
    }

    public static double min(List<Value> values) {
        return values.stream().mapToDouble(Value::value).min().orElseThrow();
    }

    public static double max(List<Value> values) {
        return values.stream().mapToDouble(Value::value).max().orElseThrow();
    }

    /** The value with the latest event time; of equal times, the one that arrived last. */
    public static double last(List<Value> values) {
        return values.stream().max(Comparator.comparingLong(Value::time).thenComparingInt(Value::arrival))
                .orElseThrow().value();
    }

    /** The value with the earliest event time; of equal times, the one that arrived first. */
    public static double first(List<Value> values) {
        return values.stream().min(Comparator.comparingLong(Value::time).thenComparingInt(Value::arrival))
                .orElseThrow().value();
    }

    /** Sample standard deviation (n - 1), two-pass; null for fewer than two values. */
    public static Double stdev(List<Value> values) {
        if (values.size() < 2) {
            return null;
        }
        double mean = mean(values);
        double squares = values.stream().mapToDouble(v -> (v.value() - mean) * (v.value() - mean)).sum();
        return Math.sqrt(squares / (values.size() - 1));
    }

    /** Nearest rank: the ⌈q·n⌉-th smallest value (at least the first). */
    public static double percentile(List<Value> values, double quantile) {
        double[] sorted = values.stream().mapToDouble(Value::value).sorted().toArray();
        int rank = (int) Math.max(1, Math.ceil(quantile * sorted.length - 1e-9));
        return sorted[rank - 1];
    }

    static boolean sameKeys(Map<Key, ?> a, Map<Key, ?> b) {
        return Objects.equals(a.keySet(), b.keySet());
    }

    /**
     * Asserts that {@code actual}'s fields are what the oracle computes of {@code expected} (each field's values): exact
     * counts, mins, maxes, firsts and lasts, sums, means and standard deviations up to rounding, percentiles within
     * {@code percentileAccuracy} of the nearest-rank value.
     */
    public static void assertMatches(String where, SensorAggregate actual, Map<String, List<Value>> expected,
            double percentileAccuracy) {
        assertThat(actual.getFields().keySet()).as(where).isEqualTo(expected.keySet());
        for (Map.Entry<String, List<Value>> field : expected.entrySet()) {
            List<Value> values = field.getValue();
            FieldStats stats = actual.getFields().get(field.getKey());
            ExtraFieldStats extra = actual.getExtraStats().get(field.getKey());
            String at = where + " field " + field.getKey() + " values " + values;
            assertThat(stats.getCount()).as(at).isEqualTo(values.size());
            assertThat(stats.getMin()).as(at).isEqualTo(min(values));
            assertThat(stats.getMax()).as(at).isEqualTo(max(values));
            assertThat(stats.getLast()).as(at).isEqualTo(last(values));
            assertThat(extra.getFirst()).as(at).isEqualTo(first(values));
            assertClose(stats.getSum(), sum(values), at + " sum");
            assertClose(stats.getMean(), mean(values), at + " mean");
            Double stdev = stdev(values);
            if (stdev == null) {
                assertThat(extra.getStdev()).as(at + " stdev of one value").isNull();
            } else {
                assertClose(extra.getStdev(), stdev, at + " stdev");
            }
            for (Stat stat : List.of(Stat.P50, Stat.P90, Stat.P95, Stat.P99)) {
                double exact = percentile(values, stat.quantile());
                Double got = switch (stat) {
                    case P50 -> extra.getP50();
                    case P90 -> extra.getP90();
                    case P95 -> extra.getP95();
                    default -> extra.getP99();
                };
                assertThat(Math.abs(got - exact)).as(at + " " + stat + " " + got + " vs exact " + exact)
                        .isLessThanOrEqualTo(percentileAccuracy * Math.abs(exact) + 1e-9);
            }
        }
    }

    private static void assertClose(double actual, double expected, String what) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)) + 1e-9);
    }
}
