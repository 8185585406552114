package io.windrose.decode.sparkplug;

import io.windrose.deadletter.DeadLetterReason;

/** A Sparkplug B message that cannot be used, with the dead-letter reason and a detail naming the problem. */
public final class SparkplugException extends Exception {
    private static final long serialVersionUID = 1L;
    private final DeadLetterReason reason;

    public SparkplugException(DeadLetterReason reason, String detail) {
        // no stack trace: hostile input is expected traffic, not a bug
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
