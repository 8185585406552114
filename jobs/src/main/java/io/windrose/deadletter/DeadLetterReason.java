package io.windrose.deadletter;

/** Why an input could not become a reading. Written to the dead letter's {@code reason}. */
public enum DeadLetterReason {
    /** Not parseable in the route's format (not JSON, not an object, empty, bad Avro bytes). */
    MALFORMED,
    /** Parsed, but no numeric field was found (after include/exclude), or a value payload is not a number. */
    NO_FIELDS,
    /** The timestamp is missing, unparseable, before 1970 or out of range. */
    BAD_TIMESTAMP,
    /** The event time is further ahead of the arrival time than event-time.max-future-skew. */
    FUTURE_TIMESTAMP,
    /** A numeric field is NaN or infinite (e.g. NaN, 1e999, "Infinity"). */
    NON_FINITE,
    /** The payload is larger than decode.max-payload-bytes, or has more than 1,000 numeric fields. */
    TOO_LARGE,
    /** No sensor id in the topic template or in the payload. */
    NO_SENSOR,
    /** Avro single-object encoding with a schema fingerprint no configured schema has. */
    UNKNOWN_SCHEMA,
    /** No route's topic template or filter matches the topic. */
    UNROUTED,
    /** InfluxDB refused the point (e.g. a field type conflict); the detail is the server's message. */
    REJECTED_BY_INFLUXDB,
    /** A rule's webhook kept failing for actions.webhook.retry-timeout; the payload is the call's JSON body. */
    ACTION_FAILED,
    /** A Sparkplug B payload that is not valid protobuf, or breaks the specification (a value of the wrong type, an
     * alias or name twice in a birth, a birth metric without a name or datatype, a seq outside 0..255). */
    SPARKPLUG_BAD_PAYLOAD,
    /** Sparkplug B data that no current birth defines (an unknown alias or name, no NBIRTH or DBIRTH seen), or data
     * of a node waiting for its rebirth since; a rebirth is requested. */
    SPARKPLUG_UNKNOWN_ALIAS,
    /** Sparkplug B data after a gap in the node's seq (0..255, wrapping): messages were lost, so the aliases may have
     * changed; dead letters until the rebirth that is requested. */
    SPARKPLUG_SEQUENCE_GAP
}
