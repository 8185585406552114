package io.windrose.history;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a replay's readings as its mini-cluster (in this JVM) reads them, and prints a progress line: readings done of
 * at most the total, rate, time left.
 */
final class ReplayProgress {
    static final AtomicLong READ = new AtomicLong();
    static final AtomicLong OUTSIDE = new AtomicLong();
    static final AtomicLong LATE = new AtomicLong();
    static final AtomicLong REPLAYED = new AtomicLong();
    static final AtomicLong REPLAY_LATE = new AtomicLong();
    static final AtomicLong WINDOWS = new AtomicLong();
    static final AtomicLong OPEN_LIVE = new AtomicLong();
    static final AtomicLong ALERTS = new AtomicLong();

    private ReplayProgress() {}

    static void reset() {
        READ.set(0);
        OUTSIDE.set(0);
        LATE.set(0);
        REPLAYED.set(0);
        REPLAY_LATE.set(0);
        WINDOWS.set(0);
        OPEN_LIVE.set(0);
        ALERTS.set(0);
    }

    /** "replay: 120,000 of ≤ 500,000 archived records (24 %), 40,000/s, about 10 s left". */
    static String line(long total, Duration elapsed) {
        long read = READ.get();
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = read / seconds;
        String left = rate <= 0 || total <= read ? "" : String.format(Locale.ROOT, ", about %d s left",
                Math.round((total - read) / rate));
        return String.format(Locale.ROOT, "replay: %,d of ≤ %,d archived records (%d %%), %,.0f/s%s", read, total,
                total == 0 ? 100 : Math.min(100, read * 100 / total), rate, left);
    }

    /** "backtest: 120,000 archived records read, 40,000/s" (for a run that knows no total). */
    static String readLine(String what, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        return String.format(Locale.ROOT, "%s: %,d archived records read, %,.0f/s", what, READ.get(), READ.get() / seconds);
    }

    static void summary(PrintWriter out, Interval interval, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        out.printf(Locale.ROOT, "replay %s: %,d readings replayed, %,d late in the live job (left out), %,d outside the"
                        + " interval; %,d window points written%s, %,d alert transitions; %.1f s, %,.0f readings/s%n", interval,
                REPLAYED.get(), LATE.get(), OUTSIDE.get(), WINDOWS.get(), OPEN_LIVE.get() == 0 ? ""
                        : String.format(Locale.ROOT, ", %,d not (still open in the live job)", OPEN_LIVE.get()),
                ALERTS.get(), seconds, READ.get() / seconds);
        out.flush();
    }
}
