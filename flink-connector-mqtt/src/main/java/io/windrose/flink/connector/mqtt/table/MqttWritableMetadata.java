package io.windrose.flink.connector.mqtt.table;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/** The metadata an MQTT sink table writes with each message, by key, with its SQL type. */
enum MqttWritableMetadata {
    TOPIC("topic", DataTypes.STRING()),
    QOS("qos", DataTypes.INT()),
    RETAIN("retain", DataTypes.BOOLEAN()),
    USER_PROPERTIES("user-properties", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING())),
    MESSAGE_EXPIRY("message-expiry", DataTypes.BIGINT());

    final String key;
    final DataType dataType;

    MqttWritableMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    static MqttWritableMetadata of(String key) {
        for (MqttWritableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no writable MQTT metadata '" + key + "'");
    }

    /** Every key with its type, in declaration order (what {@code listWritableMetadata} returns). */
    static Map<String, DataType> list() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (MqttWritableMetadata m : values()) {
            all.put(m.key, m.dataType);
        }
        return all;
    }
}
