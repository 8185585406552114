package io.windrose.deadletter;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log that dead letters happen, without flooding it: the first of each reason at once, then at most one
 * line per reason and interval with how many came since and the latest one's detail.
 */
public final class DeadLetterLog {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);

    private final long intervalMs;
    private final LongSupplier clock;
    private final Map<DeadLetterReason, Long> lastLogged = new EnumMap<>(DeadLetterReason.class);
    private final Map<DeadLetterReason, Long> since = new EnumMap<>(DeadLetterReason.class);

    public DeadLetterLog(long intervalMs, LongSupplier clock) {
        this.intervalMs = intervalMs;
        this.clock = clock;
    }

    /** @return the line logged, or null when this one is only counted */
    public String record(DeadLetterReason reason, String topic, String detail) {
        long count = since.merge(reason, 1L, Long::sum);
        long now = clock.getAsLong();
        Long last = lastLogged.get(reason);
        if (last != null && now - last < intervalMs) {
            return null;
        }
        lastLogged.put(reason, now);
        since.put(reason, 0L);
        String line = last == null
                ? "Dead letter " + reason + " (the first; later ones at most once a minute): " + detail + " — topic " + topic
                : "Dead letters " + reason + ": " + count + " in the last " + (now - last) / 1000 + " s, the latest: "
                        + detail + " — topic " + topic;
        LOG.warn(line);
        return line;
    }
}
