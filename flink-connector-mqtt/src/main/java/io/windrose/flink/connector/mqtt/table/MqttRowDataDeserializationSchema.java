package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;

/**
 * A source table's rows: the payload decoded by the table's format (its physical columns), followed by the metadata
 * columns the query reads, in the order the planner asked for them.
 */
final class MqttRowDataDeserializationSchema implements MqttDeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> format;
    private final MqttReadableMetadata[] metadata;
    private final TypeInformation<RowData> producedType;

    MqttRowDataDeserializationSchema(DeserializationSchema<RowData> format, List<MqttReadableMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.format = format;
        this.metadata = metadata.toArray(new MqttReadableMetadata[0]);
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        format.open(context);
    }

    @Override
    public void deserialize(MqttRecord record, Collector<RowData> out) throws IOException {
        if (metadata.length == 0) {
            format.deserialize(record.payload(), out);
            return;
        }
        GenericRowData values = new GenericRowData(metadata.length);
        for (int i = 0; i < metadata.length; i++) {
            values.setField(i, metadata[i].read(record));
        }
        // a format may emit no row (a payload it skips, e.g. json.ignore-parse-errors) or several
        format.deserialize(record.payload(), new Collector<>() {
            @Override
            public void collect(RowData physical) {
                out.collect(new JoinedRowData(physical.getRowKind(), physical, values));
            }

            @Override
            public void close() {}
        });
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
