package io.windrose.sink.table;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigException;
import io.windrose.sink.InfluxDbConfig;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.RowType;

/**
 * {@code 'connector' = 'influxdb'}: a table sink writing each row as an InfluxDB point, with the options of
 * {@link InfluxDbTableOptions}. Everything is checked when the statement is planned: each sink setting by
 * {@link InfluxDbConfig#validate} (the one interpretation of the {@code sinks.influxdb} keys), the columns against the
 * table's schema, and an unknown option by Flink; each error is a {@link ValidationException} naming the option.
 * The sink is insert-only ({@link InfluxDbDynamicSink}): a query that updates its results needs a window.
 */
public final class InfluxDbDynamicTableFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "influxdb";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return InfluxDbTableOptions.REQUIRED;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return InfluxDbTableOptions.OPTIONAL;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        ConfigCheck check = new ConfigCheck("table " + context.getObjectIdentifier().asSummaryString()
                + " ('connector' = '" + IDENTIFIER + "')");
        try {
            InfluxDbConfig config = InfluxDbTableOptions.influxDbConfig(options);
            config.validate(check);
            RowDataPointMapper mapper = RowDataPointMapper.of(check,
                    (RowType) context.getPhysicalRowDataType().getLogicalType(),
                    options.get(InfluxDbTableOptions.MEASUREMENT), options.get(InfluxDbTableOptions.TAG_COLUMNS),
                    options.getOptional(InfluxDbTableOptions.FIELD_COLUMNS).orElse(null),
                    options.getOptional(InfluxDbTableOptions.TIME_COLUMN).orElse(null));
            return new InfluxDbDynamicSink(config, mapper);
        } catch (ConfigException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }
}
