package io.windrose.sink;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;
import java.time.Duration;

/** The {@code sinks.influxdb} section: where and how the InfluxDB sink writes. Never prints the token or password. */
public final class InfluxDbConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 3L;
    public boolean enabled = true;
    public InfluxApi api = InfluxApi.V2;
    public String url = "http://127.0.0.1:8086";
    public String org = "windrose";
    /** v2 bucket; for InfluxDB 1.8 through the v2 API "db/rp" ("telemetry" = default policy). */
    public String bucket = "telemetry";
    public String token;
    /** v1: database, retention policy (default policy when absent), credentials. */
    public String database;
    public String retentionPolicy;
    public String username;
    public String password;
    public int batchSize = 5000;
    public Duration flushInterval = Duration.ofSeconds(1);
    public boolean gzip = true;
    /** A failed batch is retried after this, doubling up to retry-max-delay (or after the server's Retry-After). */
    public Duration retryInitialDelay = Duration.ofMillis(200);
    public Duration retryMaxDelay = Duration.ofSeconds(10);
    /** How long one batch is retried while the job waits, before the job fails and restarts. */
    public Duration retryTimeout = Duration.ofMinutes(5);

    /** Where the points go, for logs and dead letters (never the credentials). */
    public String target() {
        return api == InfluxApi.V1
                ? url + " database " + database + (retentionPolicy == null ? "" : "/" + retentionPolicy)
                : url + " bucket " + bucket;
    }

    LineProtocolClient client() {
        return api == InfluxApi.V1
                ? new InfluxV1Client(url, database, retentionPolicy, username, password, gzip)
                : new InfluxV2Client(url, token, org, bucket, gzip);
    }

    @Override
    public void validate(ConfigCheck check) {
        if (!enabled) {
            return;
        }
        check.httpUrl(url, "url");
        if (api == InfluxApi.V2) {
            check.notBlank(bucket, "bucket", "expected a bucket (or database/retention-policy for 1.8)");
        } else {
            check.notBlank(database, "database", "expected the database to write to with api v1");
            check.require(password == null || username != null, "password", "a password needs sinks.influxdb.username too");
        }
        check.positive(retryInitialDelay, "retry-initial-delay");
        check.positive(retryMaxDelay, "retry-max-delay");
        check.positive(retryTimeout, "retry-timeout");
        check.require(batchSize > 0, "batch-size", "expected a whole number above 0");
        check.positive(flushInterval, "flush-interval");
    }

    @Override
    public String toString() {
        return "InfluxDB[" + api + " " + target() + ", token=" + (token == null ? "none" : "***") + ", username="
                + username + ", password=" + (password == null ? "none" : "***") + ", batchSize=" + batchSize
                + ", flushInterval=" + flushInterval + ", gzip=" + gzip + ", retry " + retryInitialDelay + ".."
                + retryMaxDelay + " for " + retryTimeout + "]";
    }
}
