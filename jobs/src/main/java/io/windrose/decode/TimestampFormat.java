package io.windrose.decode;

/** How a payload writes its event time. */
public enum TimestampFormat {
    EPOCH_S("epoch-s", 1_000.0),
    EPOCH_MS("epoch-ms", 1.0),
    EPOCH_US("epoch-us", 0.001),
    EPOCH_NS("epoch-ns", 0.000_001),
    ISO_8601("iso-8601", 0),
    /** No timestamp in the payload: the time the reader received the message. */
    ARRIVAL("arrival", 0);

    private final String key;
    final double toMillis;

    TimestampFormat(String key, double toMillis) {
        this.key = key;
        this.toMillis = toMillis;
    }

    /** The configuration form, e.g. {@code epoch-ms}. */
    @Override
    public String toString() {
        return key;
    }

    boolean isEpoch() {
        return toMillis > 0;
    }
}
