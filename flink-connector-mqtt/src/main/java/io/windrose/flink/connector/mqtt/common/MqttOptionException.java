package io.windrose.flink.connector.mqtt.common;

import org.apache.flink.configuration.ConfigOption;

/**
 * An MQTT option with a wrong value, or at odds with another one. The message names the option (as
 * {@link MqttOptionNames} says, with the list index for one item of a list option) and what was expected;
 * {@link #option()}, {@link #index()} and {@link #reason()} give the parts, for an application that reports errors
 * against keys of its own.
 */
public final class MqttOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient ConfigOption<?> option;
    private final int index;
    private final String reason;

    MqttOptionException(ConfigOption<?> option, int index, String reason, MqttOptionNames names) {
        super(names.of(option) + (index >= 0 ? "[" + index + "]" : "") + ": " + reason);
        this.option = option;
        this.index = index;
        this.reason = reason;
    }

    /** The option at fault. */
    public ConfigOption<?> option() {
        return option;
    }

    /** The index of the item at fault in a list option, or -1. */
    public int index() {
        return index;
    }

    /** What was expected (without the option's name). */
    public String reason() {
        return reason;
    }
}
