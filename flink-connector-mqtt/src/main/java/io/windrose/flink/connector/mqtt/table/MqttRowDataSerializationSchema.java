package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.sink.MqttOutgoingRecord;
import io.windrose.flink.connector.mqtt.sink.MqttRecordSerializationSchema;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.ProjectedRowData;

/**
 * A sink table's rows as MQTT messages: the physical columns encoded by the table's format as the payload; topic,
 * QoS, retain flag, user properties and message expiry from the metadata columns where the table has them (and they
 * are not null), else from the table's {@code topic} and {@code qos} options.
 */
final class MqttRowDataSerializationSchema implements MqttRecordSerializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    private final SerializationSchema<RowData> format;
    private final int[] physicalPositions;
    /** Where each written metadata column is in the consumed row (physical columns first). */
    private final EnumMap<MqttWritableMetadata, Integer> metadataPositions;
    private final String defaultTopic;
    private final int defaultQos;
    private transient ProjectedRowData physical;

    MqttRowDataSerializationSchema(SerializationSchema<RowData> format, int physicalArity,
            Map<MqttWritableMetadata, Integer> metadataPositions, String defaultTopic, int defaultQos) {
        this.format = format;
        this.physicalPositions = new int[physicalArity];
        for (int i = 0; i < physicalArity; i++) {
            physicalPositions[i] = i;
        }
        this.metadataPositions = new EnumMap<>(MqttWritableMetadata.class);
        this.metadataPositions.putAll(metadataPositions);
        this.defaultTopic = defaultTopic;
        this.defaultQos = defaultQos;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        format.open(context);
    }

    @Override
    public MqttOutgoingRecord serialize(RowData row) {
        if (physical == null) {
            physical = ProjectedRowData.from(physicalPositions);
        }
        byte[] payload = format.serialize(physical.replaceRow(row));
        String topic = string(row, MqttWritableMetadata.TOPIC, defaultTopic);
        if (topic == null) {
            throw new IllegalArgumentException("an MQTT sink row without a topic: its 'topic' metadata column is null"
                    + " and the table has no 'topic' option (the default topic)");
        }
        // a format writes a null value as no bytes at all; MQTT's empty payload (which, retained, clears the topic's
        // retained message) is the closest
        MqttOutgoingRecord.Builder message = MqttOutgoingRecord.builder(topic, payload == null ? EMPTY : payload);
        Integer qos = position(row, MqttWritableMetadata.QOS);
        message.qos(qos == null ? defaultQos : row.getInt(qos));
        Integer retain = position(row, MqttWritableMetadata.RETAIN);
        message.retain(retain != null && row.getBoolean(retain));
        Integer expiry = position(row, MqttWritableMetadata.MESSAGE_EXPIRY);
        message.messageExpirySeconds(expiry == null ? null : row.getLong(expiry));
        Integer properties = position(row, MqttWritableMetadata.USER_PROPERTIES);
        if (properties != null) {
            addUserProperties(row.getMap(properties), message);
        }
        return message.build();
    }

    /** The metadata column's position when the table writes it and this row's value is not null. */
    private Integer position(RowData row, MqttWritableMetadata key) {
        Integer pos = metadataPositions.get(key);
        return pos == null || row.isNullAt(pos) ? null : pos;
    }

    private String string(RowData row, MqttWritableMetadata key, String orElse) {
        Integer pos = position(row, key);
        return pos == null ? orElse : row.getString(pos).toString();
    }

    private static void addUserProperties(MapData map, MqttOutgoingRecord.Builder message) {
        ArrayData names = map.keyArray();
        ArrayData values = map.valueArray();
        for (int i = 0; i < map.size(); i++) {
            // MQTT has no null user property: an entry with a null name or value is left out
            if (!names.isNullAt(i) && !values.isNullAt(i)) {
                message.userProperty(names.getString(i).toString(), values.getString(i).toString());
            }
        }
    }
}
