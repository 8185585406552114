package io.windrose.sink;

import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Writes points to InfluxDB through influxdb-client-java's v2 write API (InfluxDB 2.x, 3.x, Cloud and 1.8+ with a
 * bucket "database/retention-policy"). Batches by size and linger time and flushes on every checkpoint
 * (at-least-once); the same element always yields the same point, so a replay overwrites instead of duplicating.
 */
public final class InfluxDbSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final String token;
    private final String org;
    private final String bucket;
    private final int batchSize;
    private final Duration flushInterval;
    private final PointMapper<T> mapper;

    public InfluxDbSink(String url, String token, String org, String bucket, int batchSize, Duration flushInterval,
            PointMapper<T> mapper) {
        this.url = url;
        this.token = token;
        this.org = org;
        this.bucket = bucket;
        this.batchSize = batchSize;
        this.flushInterval = flushInterval;
        this.mapper = mapper;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new InfluxDbWriter<>(url, token, org, bucket, batchSize, flushInterval.toMillis(), mapper,
                context.getProcessingTimeService(), context.metricGroup());
    }
}
