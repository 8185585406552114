package io.windrose.decode;

/** Why an input could not become a reading. Written to the dead letter's {@code reason}. */
public enum DeadLetterReason {
    /** Not parseable in the route's format (e.g. not JSON, not a JSON object). */
    MALFORMED,
    /** Parsed, but no numeric field was found. */
    NO_FIELDS,
    /** The timestamp member is missing or not an epoch-millisecond number. */
    BAD_TIMESTAMP,
    /** A numeric field is NaN or infinite (e.g. 1e999). */
    NON_FINITE,
    /** No sensor id in the topic template or in the payload. */
    NO_SENSOR,
    /** No route's topic template or filter matches the topic. */
    UNROUTED
}
