package io.windrose.sink.table;

import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.InfluxDbSink;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.function.SerializableFunction;

/**
 * A table written to InfluxDB through Windrose's {@link InfluxDbSink}: batches by size and linger time, written on every
 * checkpoint (at-least-once; a row always yields the same point, so a replay overwrites it when the table has a time
 * column), outages retried with back-off while the job waits, points the server refuses split out of their batch and
 * logged (there is no dead-letter topic here).
 *
 * <p>Insert-only: InfluxDB keeps points, it has no update or delete of a row, so the planner refuses a query that
 * updates its results (a non-windowed {@code GROUP BY}, a regular join, ...). Aggregate over a window instead
 * ({@code TUMBLE}, {@code HOP}, {@code CUMULATE} table-valued functions), whose results are final once emitted.
 */
final class InfluxDbDynamicSink implements DynamicTableSink {
    /** No dead-letter topic here: the writer logs a refused point with its line, no key needed. */
    private static final SerializableFunction<RowData, String> NO_KEY = row -> null;

    private final InfluxDbConfig config;
    private final RowDataPointMapper mapper;

    InfluxDbDynamicSink(InfluxDbConfig config, RowDataPointMapper mapper) {
        this.config = config;
        this.mapper = mapper;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        return SinkV2Provider.of(InfluxDbSink.builder(config).build(mapper, NO_KEY));
    }

    @Override
    public DynamicTableSink copy() {
        return new InfluxDbDynamicSink(config, mapper);
    }

    @Override
    public String asSummaryString() {
        return "InfluxDB " + config.target() + " (" + mapper + ")";
    }

    InfluxDbConfig config() {
        return config;
    }

    RowDataPointMapper mapper() {
        return mapper;
    }
}
