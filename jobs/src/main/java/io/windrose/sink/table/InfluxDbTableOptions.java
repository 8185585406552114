package io.windrose.sink.table;

import io.windrose.sink.InfluxApi;
import io.windrose.sink.InfluxDbConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The options of {@code 'connector' = 'influxdb'}: the keys of the {@code sinks.influxdb} YAML section (same meaning,
 * same defaults, taken from {@link InfluxDbConfig}) and the table's own: measurement, tag, field and time columns.
 * Durations in Flink's syntax ({@code '10 s'}, {@code '500 ms'}, {@code '2 min'}), lists in Flink's ({@code 'a;b'}).
 */
public final class InfluxDbTableOptions {
    private static final InfluxDbConfig DEFAULTS = new InfluxDbConfig();

    public static final ConfigOption<String> URL = ConfigOptions.key("url").stringType().defaultValue(DEFAULTS.url)
            .withDescription("InfluxDB's HTTP address.");
    public static final ConfigOption<InfluxApi> API = ConfigOptions.key("api").enumType(InfluxApi.class)
            .defaultValue(DEFAULTS.api)
            .withDescription("v2: /api/v2/write (InfluxDB 2.x, 3.x, Cloud, 1.8+: org, bucket, token); "
                    + "v1: /write (InfluxDB 1.x: database, retention-policy, username, password).");
    public static final ConfigOption<String> ORG = ConfigOptions.key("org").stringType().defaultValue(DEFAULTS.org)
            .withDescription("v2: the organization.");
    public static final ConfigOption<String> BUCKET = ConfigOptions.key("bucket").stringType()
            .defaultValue(DEFAULTS.bucket)
            .withDescription("v2: the bucket (InfluxDB 1.8 through the v2 API: 'database/retention-policy').");
    public static final ConfigOption<String> TOKEN = ConfigOptions.key("token").stringType().noDefaultValue()
            .withDescription("v2: the API token (none: no authentication).");
    public static final ConfigOption<String> DATABASE = ConfigOptions.key("database").stringType().noDefaultValue()
            .withDescription("v1: the database (required with api v1).");
    public static final ConfigOption<String> RETENTION_POLICY = ConfigOptions.key("retention-policy").stringType()
            .noDefaultValue().withDescription("v1: the retention policy (none: the database's default).");
    public static final ConfigOption<String> USERNAME = ConfigOptions.key("username").stringType().noDefaultValue()
            .withDescription("v1: basic authentication user (none: no authentication).");
    public static final ConfigOption<String> PASSWORD = ConfigOptions.key("password").stringType().noDefaultValue()
            .withDescription("v1: basic authentication password (needs username).");
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch-size").intType()
            .defaultValue(DEFAULTS.batchSize)
            .withDescription("Points per write request: a full batch is written at once.");
    public static final ConfigOption<Duration> FLUSH_INTERVAL = ConfigOptions.key("flush-interval").durationType()
            .defaultValue(DEFAULTS.flushInterval)
            .withDescription("How long a point waits for its batch to fill; every checkpoint also writes the batch.");
    public static final ConfigOption<Boolean> GZIP = ConfigOptions.key("gzip").booleanType().defaultValue(DEFAULTS.gzip)
            .withDescription("Gzip the write requests.");
    public static final ConfigOption<Duration> RETRY_INITIAL_DELAY = ConfigOptions.key("retry-initial-delay")
            .durationType().defaultValue(DEFAULTS.retryInitialDelay)
            .withDescription("A failed write (no answer, 429, 5xx) is retried after this, doubling up to "
                    + "retry-max-delay (or after the server's Retry-After).");
    public static final ConfigOption<Duration> RETRY_MAX_DELAY = ConfigOptions.key("retry-max-delay").durationType()
            .defaultValue(DEFAULTS.retryMaxDelay).withDescription("The longest wait between two retries.");
    public static final ConfigOption<Duration> RETRY_TIMEOUT = ConfigOptions.key("retry-timeout").durationType()
            .defaultValue(DEFAULTS.retryTimeout)
            .withDescription("How long one batch is retried while the job waits, before the job fails and restarts.");

    public static final ConfigOption<String> MEASUREMENT = ConfigOptions.key("measurement").stringType()
            .noDefaultValue().withDescription("The measurement every row is written to (required).");
    public static final ConfigOption<List<String>> TAG_COLUMNS = ConfigOptions.key("tag-columns").stringType()
            .asList().defaultValues()
            .withDescription("Columns written as tags (STRING, CHAR, VARCHAR, or integers written as text); "
                    + "a null or empty value leaves the tag out. Default: none.");
    public static final ConfigOption<List<String>> FIELD_COLUMNS = ConfigOptions.key("field-columns").stringType()
            .asList().noDefaultValue()
            .withDescription("Columns written as fields (DOUBLE, FLOAT, DECIMAL as floats; TINYINT to BIGINT as "
                    + "integers; BOOLEAN; STRING, CHAR, VARCHAR); a null value leaves the field out. "
                    + "Default: every column that is neither a tag nor the time column.");
    public static final ConfigOption<String> TIME_COLUMN = ConfigOptions.key("time-column").stringType()
            .noDefaultValue()
            .withDescription("The column holding each point's time, written in milliseconds: TIMESTAMP(p) read as "
                    + "UTC, TIMESTAMP_LTZ(p), or BIGINT epoch milliseconds. Absent (or null in a row): InfluxDB "
                    + "stamps the point when it receives it.");

    static final Set<ConfigOption<?>> REQUIRED = Set.of(MEASUREMENT);
    /** In the order the docs list them: the table's columns first, then where and how to write. */
    static final Set<ConfigOption<?>> OPTIONAL = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(TAG_COLUMNS,
            FIELD_COLUMNS, TIME_COLUMN, URL, API, ORG, BUCKET, TOKEN, DATABASE, RETENTION_POLICY, USERNAME, PASSWORD,
            BATCH_SIZE, FLUSH_INTERVAL, GZIP, RETRY_INITIAL_DELAY, RETRY_MAX_DELAY, RETRY_TIMEOUT)));

    private InfluxDbTableOptions() {}

    /** The sink settings of a table's options, not yet validated (see {@link InfluxDbConfig#validate}). */
    static InfluxDbConfig influxDbConfig(ReadableConfig options) {
        InfluxDbConfig config = new InfluxDbConfig();
        config.url = options.get(URL);
        config.api = options.get(API);
        config.org = options.get(ORG);
        config.bucket = options.get(BUCKET);
        config.token = options.get(TOKEN);
        config.database = options.get(DATABASE);
        config.retentionPolicy = options.get(RETENTION_POLICY);
        config.username = options.get(USERNAME);
        config.password = options.get(PASSWORD);
        config.batchSize = options.get(BATCH_SIZE);
        config.flushInterval = options.get(FLUSH_INTERVAL);
        config.gzip = options.get(GZIP);
        config.retryInitialDelay = options.get(RETRY_INITIAL_DELAY);
        config.retryMaxDelay = options.get(RETRY_MAX_DELAY);
        config.retryTimeout = options.get(RETRY_TIMEOUT);
        return config;
    }
}
