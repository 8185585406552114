package io.windrose.decode;

import io.windrose.deadletter.DeadLetterReason;

/** A payload that cannot become a reading, with the reason code and a human-readable detail. */
public final class DecodeException extends Exception {
    private final DeadLetterReason reason;

    public DecodeException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
