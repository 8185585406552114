package io.windrose.sink;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;

/** The v2 write API ({@code /api/v2/write}: InfluxDB 2.x, 3.x, Cloud, 1.8+) through influxdb-client-java, gzipped. */
final class InfluxV2Client implements LineProtocolClient {
    private final InfluxDBClient client;
    private final WriteApiBlocking writeApi;
    private final String org;
    private final String bucket;

    InfluxV2Client(String url, String token, String org, String bucket, boolean gzip) {
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder().url(url).org(org).bucket(bucket)
                .precision(WritePrecision.MS);
        if (token != null && !token.isEmpty()) {
            options.authenticateToken(token.toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
        if (gzip) {
            client.enableGzip();
        }
        this.writeApi = client.getWriteApiBlocking();
        this.org = org;
        this.bucket = bucket;
    }

    @Override
    public void write(List<String> lines) throws InfluxWriteException {
        try {
            writeApi.writeRecords(bucket, org, WritePrecision.MS, lines);
        } catch (InfluxException e) {
            throw new InfluxWriteException(e.status(), e.getMessage(),
                    InfluxWriteException.retryAfter(e.headers().get("Retry-After")), e);
        } catch (RuntimeException e) {
            throw new InfluxWriteException(0, String.valueOf(e.getMessage()), -1, e);
        }
    }

    @Override
    public void delete(PointDeletion point) throws InfluxWriteException {
        StringBuilder predicate = new StringBuilder("_measurement=").append(quoted(point.measurement()));
        new TreeMap<>(point.tags()).forEach((key, value) -> predicate.append(" AND ").append(key).append('=')
                .append(quoted(value)));
        OffsetDateTime start = Instant.ofEpochMilli(point.timeMs()).atOffset(ZoneOffset.UTC);
        try {
            // the whole millisecond: points are written at millisecond precision
            client.getDeleteApi().delete(start, start.plusNanos(999_999), predicate.toString(), bucket, org);
        } catch (InfluxException e) {
            throw new InfluxWriteException(e.status(), e.getMessage(),
                    InfluxWriteException.retryAfter(e.headers().get("Retry-After")), e);
        } catch (RuntimeException e) {
            throw new InfluxWriteException(0, String.valueOf(e.getMessage()), -1, e);
        }
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void close() {
        client.close();
    }
}
