package io.windrose.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes points to InfluxDB, through the v2 API (influxdb-client-java: InfluxDB 2.x, 3.x, Cloud, 1.8+) or the 1.x
 * API. Batches by size and linger time and flushes on every checkpoint (at-least-once); the same element always yields
 * the same point, so a replay overwrites instead of duplicating. Outages are retried while the job waits; points the
 * server refuses become dead letters. See {@link InfluxDbWriter}.
 */
public final class InfluxDbSink<T> implements Sink<T> {
    private static final long serialVersionUID = 2L;

    private final InfluxDbOptions options;
    private final PointMapper<T> mapper;
    private final SerializableFunction<T, String> keyOf;

    /** @param keyOf the sensor id of an element, for its dead letter if InfluxDB refuses it */
    public InfluxDbSink(InfluxDbOptions options, PointMapper<T> mapper, SerializableFunction<T, String> keyOf) {
        this.options = options;
        this.mapper = mapper;
        this.keyOf = keyOf;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new InfluxDbWriter<>(options, mapper, keyOf, context.getProcessingTimeService(), context.metricGroup());
    }
}
