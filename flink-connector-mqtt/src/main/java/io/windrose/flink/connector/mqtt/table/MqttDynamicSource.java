package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.MqttSourceBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;

/**
 * An MQTT source table: an unbounded, insert-only scan of the subscribed topics on {@link MqttSource}, each message's
 * payload decoded by the table's format, with the metadata columns of {@link #listReadableMetadata()}.
 */
public final class MqttDynamicSource implements ScanTableSource, SupportsReadingMetadata {
    private final DataType physicalDataType;
    private final DecodingFormat<DeserializationSchema<RowData>> format;
    private final ReadableConfig options;
    private final Duration checkpointInterval;
    private List<MqttReadableMetadata> metadata = List.of();
    private DataType producedDataType;

    MqttDynamicSource(DataType physicalDataType, DecodingFormat<DeserializationSchema<RowData>> format,
            ReadableConfig options, Duration checkpointInterval) {
        this.physicalDataType = physicalDataType;
        this.format = format;
        this.options = options;
        this.checkpointInterval = checkpointInterval;
        this.producedDataType = physicalDataType;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DeserializationSchema<RowData> decoder = format.createRuntimeDecoder(context, physicalDataType);
        MqttSourceBuilder<RowData> builder = MqttSource.<RowData>builder()
                .setOptions(options)
                .setCheckpointInterval(checkpointInterval)
                .setDeserializer(new MqttRowDataDeserializationSchema(decoder, metadata,
                        context.createTypeInformation(producedDataType)));
        return SourceProvider.of(builder.build());
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        return MqttReadableMetadata.list();
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.metadata = metadataKeys.stream().map(MqttReadableMetadata::of).toList();
        this.producedDataType = producedDataType;
    }

    @Override
    public DynamicTableSource copy() {
        MqttDynamicSource copy = new MqttDynamicSource(physicalDataType, format, options, checkpointInterval);
        copy.metadata = metadata;
        copy.producedDataType = producedDataType;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "MQTT";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttDynamicSource other && physicalDataType.equals(other.physicalDataType)
                && format.equals(other.format) && options.equals(other.options)
                && Objects.equals(checkpointInterval, other.checkpointInterval) && metadata.equals(other.metadata)
                && producedDataType.equals(other.producedDataType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(physicalDataType, format, options, checkpointInterval, metadata, producedDataType);
    }
}
