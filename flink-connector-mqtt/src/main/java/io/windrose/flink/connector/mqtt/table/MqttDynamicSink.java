package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.sink.MqttSink;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/**
 * An MQTT sink table: each inserted row published as one message on {@link MqttSink}, its physical columns encoded by
 * the table's format, with the metadata columns of {@link #listWritableMetadata()}. Insert-only: an updating query
 * is refused by the planner.
 */
public final class MqttDynamicSink implements DynamicTableSink, SupportsWritingMetadata {
    /** Appended to the table's client-id prefix, so that one table read and written does not connect twice as one. */
    static final String CLIENT_ID_SUFFIX = "-sink";

    private final DataType physicalDataType;
    private final EncodingFormat<SerializationSchema<RowData>> format;
    private final ReadableConfig options;
    private final String tableName;
    private List<MqttWritableMetadata> metadata = List.of();

    MqttDynamicSink(DataType physicalDataType, EncodingFormat<SerializationSchema<RowData>> format,
            ReadableConfig options, String tableName) {
        this.physicalDataType = physicalDataType;
        this.format = format;
        this.options = options;
        this.tableName = tableName;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        String defaultTopic = options.get(MqttConnectorOptions.TOPIC);
        if (defaultTopic == null && !metadata.contains(MqttWritableMetadata.TOPIC)) {
            throw new ValidationException("MQTT table " + tableName + " cannot be written: it needs a 'topic' option"
                    + " (the default topic) or a 'topic' metadata column");
        }
        int physicalArity = DataType.getFieldCount(physicalDataType);
        Map<MqttWritableMetadata, Integer> positions = new EnumMap<>(MqttWritableMetadata.class);
        for (int i = 0; i < metadata.size(); i++) {
            positions.put(metadata.get(i), physicalArity + i); // the planner appends them after the physical columns
        }
        MqttRowDataSerializationSchema serializer = new MqttRowDataSerializationSchema(
                format.createRuntimeEncoder(context, physicalDataType), physicalArity, positions, defaultTopic,
                options.get(MqttConnectorOptions.QOS));
        MqttSink<RowData> sink = MqttSink.<RowData>builder()
                .setOptions(options)
                .setClientIdPrefix(options.get(MqttConnectorOptions.CLIENT_ID_PREFIX) + CLIENT_ID_SUFFIX)
                .setSerializationSchema(serializer)
                .build();
        return SinkV2Provider.of(sink);
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        return MqttWritableMetadata.list();
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadata = metadataKeys.stream().map(MqttWritableMetadata::of).toList();
    }

    @Override
    public DynamicTableSink copy() {
        MqttDynamicSink copy = new MqttDynamicSink(physicalDataType, format, options, tableName);
        copy.metadata = metadata;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "MQTT";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttDynamicSink other && physicalDataType.equals(other.physicalDataType)
                && format.equals(other.format) && options.equals(other.options) && tableName.equals(other.tableName)
                && metadata.equals(other.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(physicalDataType, format, options, tableName, metadata);
    }
}
