package io.windrose.sink;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.client.domain.WritePrecision;
import com.influxdb.exceptions.InfluxException;
import java.util.List;

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
    public void close() {
        client.close();
    }
}
