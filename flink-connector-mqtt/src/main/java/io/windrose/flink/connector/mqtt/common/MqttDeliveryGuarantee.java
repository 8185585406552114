package io.windrose.flink.connector.mqtt.common;

/**
 * What the source promises about each MQTT message. Written in configuration as {@code at-least-once} /
 * {@code at-most-once} (the {@link #toString()} form, which Flink's configuration parses too).
 */
public enum MqttDeliveryGuarantee {
    /** The client acks on receipt (or QoS 0): fastest; messages in flight inside the job are lost on a failure. */
    AT_MOST_ONCE("at-most-once"),
    /**
     * QoS 1/2 with a persistent session; a message is acked only after the checkpoint that covers it completes, so
     * un-acked messages come back after a failure (as duplicates of what the restored state had not seen yet, or of
     * what a reconnect interrupted).
     */
    AT_LEAST_ONCE("at-least-once");

    private final String key;

    MqttDeliveryGuarantee(String key) {
        this.key = key;
    }

    /** The configuration form. */
    @Override
    public String toString() {
        return key;
    }
}
