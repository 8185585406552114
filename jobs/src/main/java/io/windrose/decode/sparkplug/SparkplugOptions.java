package io.windrose.decode.sparkplug;

import java.io.Serializable;

/**
 * Limits and choices of the Sparkplug B decoding.
 *
 * @param maxPayloadBytes larger payloads are TOO_LARGE without being parsed
 * @param maxMetrics at most this many metrics in one message (and so in one birth)
 * @param maxDevices at most this many devices per edge node; a DBIRTH of one more is TOO_LARGE
 * @param rebirthIntervalMillis at most one rebirth request per node within this time
 * @param decodeAfterGap after a sequence gap, decode the data with the birth in hand (and still ask for a rebirth)
 *     instead of making it SPARKPLUG_SEQUENCE_GAP dead letters until the rebirth
 */
public record SparkplugOptions(int maxPayloadBytes, int maxMetrics, int maxDevices, long rebirthIntervalMillis,
        boolean decodeAfterGap) implements Serializable {

    /** 256 KiB payloads (as decode.max-payload-bytes), 10,000 metrics, 1,000 devices, a rebirth request per 10 s. */
    public static final SparkplugOptions DEFAULTS = new SparkplugOptions(256 * 1024, 10_000, 1_000, 10_000, false);

    public SparkplugOptions {
        if (maxPayloadBytes <= 0 || maxMetrics <= 0 || maxDevices <= 0 || rebirthIntervalMillis < 0) {
            throw new IllegalArgumentException("limits must be above 0, the rebirth interval 0 or more");
        }
    }
}
