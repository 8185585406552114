package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

/** The metadata an MQTT source table reads from each message, by key, with its SQL type and value. */
enum MqttReadableMetadata {
    TOPIC("topic", DataTypes.STRING().notNull()) {
        @Override
        Object read(MqttRecord record) {
            return StringData.fromString(record.topic());
        }
    },
    QOS("qos", DataTypes.INT().notNull()) {
        @Override
        Object read(MqttRecord record) {
            return record.qos();
        }
    },
    RETAINED("retained", DataTypes.BOOLEAN().notNull()) {
        @Override
        Object read(MqttRecord record) {
            return record.retained();
        }
    },
    RECEIVED_AT("received-at", DataTypes.TIMESTAMP_LTZ(3).notNull()) {
        @Override
        Object read(MqttRecord record) {
            return TimestampData.fromEpochMillis(record.receivedAt());
        }
    },
    USER_PROPERTIES("user-properties", DataTypes.MAP(DataTypes.STRING(), DataTypes.STRING())) {
        @Override
        Object read(MqttRecord record) {
            // a map has one value per key: a name sent more than once keeps the last value, as sent in order
            Map<StringData, StringData> map = new LinkedHashMap<>();
            for (MqttRecord.UserProperty p : record.userProperties()) {
                map.put(StringData.fromString(p.name()), StringData.fromString(p.value()));
            }
            return new GenericMapData(map);
        }
    },
    CONTENT_TYPE("content-type", DataTypes.STRING()) {
        @Override
        Object read(MqttRecord record) {
            return record.contentType().map(StringData::fromString).orElse(null);
        }
    };

    final String key;
    final DataType dataType;

    MqttReadableMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    /** The value in Flink's internal representation (what a RowData field holds). */
    abstract Object read(MqttRecord record);

    static MqttReadableMetadata of(String key) {
        for (MqttReadableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no MQTT metadata '" + key + "'");
    }

    /** Every key with its type, in declaration order (what {@code listReadableMetadata} returns). */
    static Map<String, DataType> list() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (MqttReadableMetadata m : values()) {
            all.put(m.key, m.dataType);
        }
        return all;
    }
}
