package io.windrose.sink;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Buffers line protocol and writes it in batches: when the batch is full, after the linger time, and on checkpoints. */
final class InfluxDbWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbWriter.class);

    private final InfluxDBClient client;
    private final WriteApiBlocking writeApi;
    private final String org;
    private final String bucket;
    private final int batchSize;
    private final long flushIntervalMs;
    private final PointMapper<T> mapper;
    private final ProcessingTimeService timers;
    private final List<String> buffer = new ArrayList<>();
    private final Counter pointsWritten;
    private final Counter batchesWritten;
    private boolean timerPending;

    InfluxDbWriter(String url, String token, String org, String bucket, int batchSize, long flushIntervalMs,
            PointMapper<T> mapper, ProcessingTimeService timers, MetricGroup metrics) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder().url(url).org(org).bucket(bucket)
                .precision(WritePrecision.MS);
        if (token != null && !token.isEmpty()) {
            options.authenticateToken(token.toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build()).enableGzip();
        this.writeApi = client.getWriteApiBlocking();
        this.org = org;
        this.bucket = bucket;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.mapper = mapper;
        this.timers = timers;
        MetricGroup group = metrics.addGroup("influxdb");
        this.pointsWritten = group.counter("pointsWritten");
        this.batchesWritten = group.counter("batchesWritten");
        group.gauge("bufferedPoints", buffer::size);
    }

    @Override
    public void write(T element, Context context) throws IOException {
        buffer.add(mapper.toPoint(element).toLineProtocol());
        if (buffer.size() >= batchSize) {
            writeBuffer();
        } else if (!timerPending) {
            timerPending = true;
            timers.registerTimer(timers.getCurrentProcessingTime() + flushIntervalMs, time -> {
                timerPending = false;
                writeBuffer();
            });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        writeBuffer();
    }

    private void writeBuffer() throws IOException {
        if (buffer.isEmpty()) {
            return;
        }
        try {
            writeApi.writeRecords(bucket, org, WritePrecision.MS, buffer);
        } catch (RuntimeException e) {
            // the job restarts from the last checkpoint and the replay rewrites the same (idempotent) points
            throw new IOException("writing " + buffer.size() + " points to InfluxDB bucket " + bucket + " failed: "
                    + e.getMessage(), e);
        }
        pointsWritten.inc(buffer.size());
        batchesWritten.inc();
        LOG.debug("Wrote {} points to InfluxDB bucket {}", buffer.size(), bucket);
        buffer.clear();
    }

    @Override
    public void close() {
        client.close();
    }
}
