package io.windrose.flink.connector.mqtt.common;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;

/**
 * What the connector calls an option in its messages (validation errors, and log lines such as "check username,
 * password / password-file"): by default the option's own key; an application that configures the connector under
 * keys of its own (say {@code mqtt.username} in its configuration file) names them here, so that its users read
 * the keys they wrote.
 */
public final class MqttOptionNames implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final MqttOptionNames KEYS = new MqttOptionNames(Map.of());

    private final Map<String, String> names;

    private MqttOptionNames(Map<String, String> names) {
        this.names = Map.copyOf(names);
    }

    /** Every option named by its key. */
    public static MqttOptionNames keys() {
        return KEYS;
    }

    /** Option key to name; keys not in the map keep their own name. */
    public static MqttOptionNames of(Map<String, String> names) {
        return names.isEmpty() ? KEYS : new MqttOptionNames(names);
    }

    public String of(ConfigOption<?> option) {
        return of(option.key());
    }

    /** The name of the setting {@code key}: an option's key, or another configuration key the connector mentions. */
    public String of(String key) {
        return names.getOrDefault(key, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttOptionNames other && names.equals(other.names);
    }

    @Override
    public int hashCode() {
        return Objects.hash(names);
    }

    @Override
    public String toString() {
        return names.isEmpty() ? "keys" : names.toString();
    }
}
