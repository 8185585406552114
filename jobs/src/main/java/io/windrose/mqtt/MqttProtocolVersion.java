package io.windrose.mqtt;

/** The MQTT protocol version the readers speak. */
public enum MqttProtocolVersion {
    V3_1_1,
    V5;

    /** Parses {@code 5}, {@code 3}, {@code 3.1.1}. */
    public static MqttProtocolVersion parse(String value) {
        return switch (value) {
            case "5", "5.0" -> V5;
            case "3", "3.1.1" -> V3_1_1;
            default -> throw new IllegalArgumentException("expected 5 or 3.1.1, got '" + value + "'");
        };
    }
}
