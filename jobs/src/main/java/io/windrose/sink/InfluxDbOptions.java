package io.windrose.sink;

import io.windrose.config.PipelineConfig;
import java.io.Serializable;
import java.time.Duration;

/**
 * Where and how the InfluxDB sink writes.
 *
 * @param api {@code v2} (org, bucket, token) or {@code v1} (database, retention policy, username, password)
 * @param retryTimeout how long one batch is retried before the writer fails the job (Flink's restart strategy then)
 * @param deadLetters where points InfluxDB refuses go (with the server's message), or null to log them
 */
public record InfluxDbOptions(String api, String url, String org, String bucket, String token, String database,
        String retentionPolicy, String username, String password, int batchSize, Duration flushInterval, boolean gzip,
        Duration retryInitialDelay, Duration retryMaxDelay, Duration retryTimeout, DeadLetterProducer.Options deadLetters)
        implements Serializable {

    /** The InfluxDB sink of a pipeline file; refused points go to its Kafka dead-letter topic when Kafka is on. */
    public static InfluxDbOptions of(PipelineConfig config) {
        PipelineConfig.Influxdb i = config.sinks.influxdb;
        PipelineConfig.Kafka k = config.sinks.kafka;
        return new InfluxDbOptions(i.api, i.url, i.org, i.bucket, i.token, i.database, i.retentionPolicy, i.username,
                i.password, i.batchSize, i.flushInterval, i.gzip, i.retryInitialDelay, i.retryMaxDelay, i.retryTimeout,
                k.enabled ? new DeadLetterProducer.Options(k.bootstrapServers, k.deadLettersTopic, k.properties,
                        config.decode.deadLetterPayloadBytes) : null);
    }

    LineProtocolClient client() {
        return "v1".equals(api)
                ? new InfluxV1Client(url, database, retentionPolicy, username, password, gzip)
                : new InfluxV2Client(url, token, org, bucket, gzip);
    }

    /** Never prints the token or the password. */
    @Override
    public String toString() {
        return "InfluxDbOptions[" + api + " " + target() + ", token=" + (token == null ? "none" : "***") + ", username="
                + username + ", password=" + (password == null ? "none" : "***") + ", batchSize=" + batchSize
                + ", flushInterval=" + flushInterval + ", gzip=" + gzip + ", retry " + retryInitialDelay + ".."
                + retryMaxDelay + " for " + retryTimeout + ", deadLetters=" + deadLetters + "]";
    }

    /** Where the points go, for logs and dead letters (never the credentials). */
    public String target() {
        return "v1".equals(api) ? url + " database " + database + (retentionPolicy == null ? "" : "/" + retentionPolicy)
                : url + " bucket " + bucket;
    }
}
