package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source table's rows: the payload decoded by the table's format (its physical columns), followed by the metadata
 * columns the query reads, in the order the planner asked for them.
 */
final class MqttRowDataDeserializationSchema implements MqttDeserializationSchema<RowData> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(MqttRowDataDeserializationSchema.class);
    /** Messages the table's format made no row of (skipped): a counter in the source reader's mqtt group. */
    static final String SKIPPED_METRIC = "mqtt.payloadsSkipped";

    private final DeserializationSchema<RowData> format;
    private final MqttReadableMetadata[] metadata;
    private final TypeInformation<RowData> producedType;
    private transient RowCollector rows;
    private transient Counter skipped;
    private transient long lastSkipLog;

    MqttRowDataDeserializationSchema(DeserializationSchema<RowData> format, List<MqttReadableMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.format = format;
        this.metadata = metadata.toArray(new MqttReadableMetadata[0]);
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        format.open(context);
        skipped = context.getMetricGroup().addGroup("mqtt").counter("payloadsSkipped");
    }

    @Override
    public void deserialize(MqttRecord record, Collector<RowData> out) throws IOException {
        if (rows == null) {
            rows = new RowCollector();
        }
        rows.into(out, metadata.length == 0 ? null : metadataOf(record));
        // a format may emit no row (a payload it skips, e.g. json.ignore-parse-errors) or several
        format.deserialize(record.payload(), rows);
        if (rows.count == 0) {
            skipped(record);
        }
    }

    private GenericRowData metadataOf(MqttRecord record) {
        GenericRowData values = new GenericRowData(metadata.length);
        for (int i = 0; i < metadata.length; i++) {
            values.setField(i, metadata[i].read(record));
        }
        return values;
    }

    /** Not silent: counted, and logged at most once a minute with the topic, for whoever wonders where rows went. */
    private void skipped(MqttRecord record) {
        if (skipped != null) {
            skipped.inc();
        }
        long now = System.currentTimeMillis();
        if (now - lastSkipLog >= 60_000) {
            lastSkipLog = now;
            LOG.warn("The table's format made no row of a message on {} ({} bytes): skipped (counted in {})",
                    record.topic(), record.payload().length, SKIPPED_METRIC);
        }
    }

    /** Hands the format's rows on, with the metadata columns appended, and counts them. */
    private static final class RowCollector implements Collector<RowData> {
        private Collector<RowData> out;
        private GenericRowData metadata;
        private int count;

        void into(Collector<RowData> out, GenericRowData metadata) {
            this.out = out;
            this.metadata = metadata;
            this.count = 0;
        }

        @Override
        public void collect(RowData physical) {
            count++;
            out.collect(metadata == null ? physical : new JoinedRowData(physical.getRowKind(), physical, metadata));
        }

        @Override
        public void close() {}
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
