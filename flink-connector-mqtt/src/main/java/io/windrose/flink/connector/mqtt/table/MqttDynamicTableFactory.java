package io.windrose.flink.connector.mqtt.table;

import io.windrose.flink.connector.mqtt.common.MqttConnectorOptions;
import io.windrose.flink.connector.mqtt.common.MqttOptionException;
import io.windrose.flink.connector.mqtt.common.MqttOptionNames;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.format.Format;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DeserializationFormatFactory;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.SerializationFormatFactory;
import org.apache.flink.types.RowKind;

/**
 * The {@code 'connector' = 'mqtt'} tables of Flink SQL: a source ({@link MqttDynamicSource}) and a sink
 * ({@link MqttDynamicSink}) with the options of {@link MqttConnectorOptions} under their own keys, plus
 * {@code 'format'} and the format's options under its prefix ({@code 'json.ignore-parse-errors'}...).
 *
 * <pre>{@code
 * CREATE TABLE readings (device STRING, temp DOUBLE, topic STRING METADATA VIRTUAL)
 * WITH ('connector' = 'mqtt', 'servers' = 'tcp://broker:1883', 'topics' = 'sensors/#',
 *       'client-id-prefix' = 'readings-job', 'format' = 'json');
 * }</pre>
 */
public final class MqttDynamicTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {
    public static final String IDENTIFIER = "mqtt";

    private static final Set<ConfigOption<?>> REQUIRED =
            Set.of(MqttConnectorOptions.SERVERS, MqttConnectorOptions.CLIENT_ID_PREFIX, FactoryUtil.FORMAT);

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return REQUIRED;
    }

    /** Every other connector option: a table may be both read and written, so each side ignores the other's. */
    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> optional = new LinkedHashSet<>(MqttConnectorOptions.ALL);
        optional.removeAll(REQUIRED);
        return optional;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        DecodingFormat<DeserializationSchema<RowData>> format =
                helper.discoverDecodingFormat(DeserializationFormatFactory.class, FactoryUtil.FORMAT);
        helper.validate();
        insertOnly(format, context);
        Configuration options = Configuration.fromMap(helper.getOptions().toMap());
        check(context, () -> MqttConnectorOptions.validateSource(options, MqttOptionNames.keys()));
        return new MqttDynamicSource(context.getPhysicalRowDataType(), format, options,
                context.getConfiguration().getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null));
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        EncodingFormat<SerializationSchema<RowData>> format =
                helper.discoverEncodingFormat(SerializationFormatFactory.class, FactoryUtil.FORMAT);
        helper.validate();
        insertOnly(format, context);
        Configuration options = Configuration.fromMap(helper.getOptions().toMap());
        check(context, () -> MqttConnectorOptions.validate(options, MqttOptionNames.keys()));
        return new MqttDynamicSink(context.getPhysicalRowDataType(), format, options,
                context.getObjectIdentifier().asSummaryString());
    }

    /** A changelog format (debezium-json...) would make updates of an insert-only table: refused. */
    private static void insertOnly(Format format, Context context) {
        if (!format.getChangelogMode().containsOnly(RowKind.INSERT)) {
            throw new ValidationException("MQTT table " + context.getObjectIdentifier().asSummaryString()
                    + " is insert-only, but its format produces " + format.getChangelogMode());
        }
    }

    /** The connector's own checks (values, options against each other) as Flink's error for a table's options. */
    private static void check(Context context, Runnable validation) {
        try {
            validation.run();
        } catch (MqttOptionException e) {
            throw new ValidationException("Invalid option of MQTT table "
                    + context.getObjectIdentifier().asSummaryString() + ": " + e.getMessage(), e);
        }
    }
}
