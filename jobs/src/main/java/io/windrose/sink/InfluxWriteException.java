package io.windrose.sink;

import java.io.IOException;

/** A failed write: the HTTP status (0 when no answer came), the server's message, and its Retry-After if any. */
public final class InfluxWriteException extends IOException {
    private final int status;
    private final long retryAfterMs;

    public InfluxWriteException(int status, String message, long retryAfterMs, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryAfterMs = retryAfterMs;
    }

    public int status() {
        return status;
    }

    /** The server's Retry-After in milliseconds, or -1. */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** No answer, a timeout, throttling or a server-side error: the same request may succeed later. */
    public boolean retryable() {
        return status == 0 || status == 408 || status == 429 || status >= 500;
    }

    /** The server refused the points themselves (bad line protocol, a field type conflict, too large a body). */
    public boolean pointsRejected() {
        return status == 400 || status == 413 || status == 422;
    }

    /** Parses a Retry-After header given in seconds; -1 when absent or not a number. */
    static long retryAfter(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(0, (long) (Double.parseDouble(header.strip()) * 1000));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
