package io.windrose.flink.connector.mqtt.common;

/**
 * The MQTT protocol version the clients speak. Written in configuration as {@code 5} or {@code 3.1.1} (the
 * {@link #toString()} form, which Flink's configuration parses too); {@link #parse} also takes {@code 5.0} and {@code 3}.
 */
public enum MqttProtocolVersion {
    V3_1_1("3.1.1"),
    V5("5");

    private final String key;

    MqttProtocolVersion(String key) {
        this.key = key;
    }

    /** Parses {@code 5} (also {@code 5.0}) and {@code 3.1.1} (also {@code 3}). */
    public static MqttProtocolVersion parse(String value) {
        return switch (value == null ? "" : value.trim()) {
            case "5", "5.0" -> V5;
            case "3", "3.1.1" -> V3_1_1;
            default -> throw new IllegalArgumentException("expected 5 or 3.1.1, got '" + value + "'");
        };
    }

    /** The configuration form. */
    @Override
    public String toString() {
        return key;
    }
}
