package io.windrose.mqtt;

/** What the source promises about each MQTT message. */
public enum MqttDeliveryMode {
    /** The client acks on receipt (or QoS 0): fastest; messages in flight inside the job are lost on a failure. */
    AT_MOST_ONCE,
    /**
     * QoS 1/2 with a persistent session; a message is acked only after the checkpoint that covers it completes, so
     * un-acked messages come back after a failure (as duplicates of what the restored state had not seen yet, or of
     * what a reconnect interrupted: see the dedup stage).
     */
    AT_LEAST_ONCE;

    /** Parses {@code at-most-once} / {@code at-least-once}. */
    public static MqttDeliveryMode parse(String value) {
        return switch (value) {
            case "at-most-once" -> AT_MOST_ONCE;
            case "at-least-once" -> AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("expected at-most-once or at-least-once, got '" + value + "'");
        };
    }
}
