package io.windrose.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Pre-generated canonical readings: {@code count} messages over {@code sensors} sensors on {@code sensors/<site>/<sensor>},
 * each sensor reading once per second of event time (so 10 s windows hold 10 readings), ~150-byte JSON payloads.
 * Temperatures follow a slow wave per sensor that crosses 30 now and then, so threshold alerts fire.
 */
final class Load {
    static final long T0 = 1764144000000L; // 2025-11-26T08:00:00Z

    final long t0;
    final int count;
    final int sensors;
    final String[] topics;
    final byte[][] payloads;

    Load(int count, int sensors) {
        this(count, sensors, 120_000);
    }

    /** @param wavePeriodMs period (in event time) of each sensor's temperature wave: shorter crosses 30 more often */
    Load(int count, int sensors, double wavePeriodMs) {
        this(count, sensors, wavePeriodMs, T0);
    }

    /** @param t0 the first reading's event time (a later load after an earlier one on the same job: not late) */
    Load(int count, int sensors, double wavePeriodMs, long t0) {
        this.t0 = t0;
        this.count = count;
        this.sensors = sensors;
        this.topics = new String[sensors];
        for (int s = 0; s < sensors; s++) {
            topics[s] = "sensors/site-" + (char) ('a' + s % 8) + "/" + sensorId(s);
        }
        this.payloads = new byte[count][];
        for (int i = 0; i < count; i++) {
            int s = i % sensors;
            long ts = timestamp(i);
            double temperature = 22 + 9 * Math.sin(ts / wavePeriodMs * 2 * Math.PI + s);
            payloads[i] = String.format(Locale.ROOT,
                    "{\"sensor\":\"%s\",\"ts\":%d,\"temperature\":%.2f,\"humidity\":%.2f,\"pressure\":%.1f,\"battery\":%.3f}",
                    sensorId(s), ts, temperature, 45 + 10 * Math.cos(ts / 90_000.0 + s), 1013.25 + s % 7, 3.7 - i * 1e-7)
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    long timestamp(int i) {
        return t0 + (long) (i / sensors) * 1000L;
    }

    /** The event time just after this load and its closers (published 60 s of event time after it). */
    long after() {
        return timestamp(count - 1) + 120_000;
    }

    String topic(int i) {
        return topics[i % sensors];
    }

    static String sensorId(int s) {
        return String.format(Locale.ROOT, "s-%07d", s);
    }

    double averagePayloadBytes() {
        long total = 0;
        for (byte[] p : payloads) {
            total += p.length;
        }
        return (double) total / count;
    }
}
