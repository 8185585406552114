package io.windrose.history;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A half-open interval of event time, {@code [from, to)}. */
public record Interval(Instant from, Instant to) implements Serializable {
    public Interval {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
        }
    }

    /** An ISO-8601 instant ({@code 2026-12-01T00:00:00Z}) or epoch milliseconds. */
    public static Instant instant(String text) {
        String value = text.strip();
        if (value.matches("-?\\d+")) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected an ISO-8601 instant such as 2026-12-01T00:00:00Z, or epoch"
                    + " milliseconds, got '" + text + "'");
        }
    }

    /** Widened to whole multiples of {@code unit} (epoch-aligned, as Flink aligns windows) at both edges. */
    public Interval widen(Duration unit) {
        long size = unit.toMillis();
        long start = Math.floorDiv(from.toEpochMilli(), size) * size;
        long end = Math.floorDiv(to.toEpochMilli() + size - 1, size) * size;
        return new Interval(Instant.ofEpochMilli(start), Instant.ofEpochMilli(end));
    }

    public boolean contains(long epochMillis) {
        return epochMillis >= from.toEpochMilli() && epochMillis < to.toEpochMilli();
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
