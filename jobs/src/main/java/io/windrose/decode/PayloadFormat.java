package io.windrose.decode;

/** How a route's payloads are written. Configuration form: {@code json}, {@code value}, {@code avro}. */
public enum PayloadFormat {
    /** A JSON object (nested objects are flattened into fields). */
    JSON("json"),
    /** One number per message (Shelly, Home Assistant statestream); event time = arrival. */
    VALUE("value"),
    /** Avro binary or single-object encoding. */
    AVRO("avro");

    private final String key;

    PayloadFormat(String key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return key;
    }
}
