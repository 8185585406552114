package io.windrose.decode;

/** How a route's payloads are written. Configuration form: {@code json}, {@code value}, {@code avro},
 * {@code sparkplug-b}. */
public enum PayloadFormat {
    /** A JSON object (nested objects are flattened into fields). */
    JSON("json"),
    /** One number per message (Shelly, Home Assistant statestream); event time = arrival. */
    VALUE("value"),
    /** Avro binary or single-object encoding. */
    AVRO("avro"),
    /**
     * Sparkplug B (Eclipse Sparkplug 3.0): protobuf metrics by alias, defined in the births; decoded with the edge
     * node's state (the decode.sparkplug stage).
     */
    SPARKPLUG_B("sparkplug-b");

    private final String key;

    PayloadFormat(String key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return key;
    }
}
