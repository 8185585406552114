package io.windrose.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline file, bound as it is written (kebab-case keys). Defaults live here; {@link PipelineConfigLoader}
 * rejects unknown keys and checks values.
 */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public Job job = new Job();
    public Mqtt mqtt = new Mqtt();
    public List<Route> routes = new ArrayList<>();
    public Decode decode = new Decode();
    public EventTime eventTime = new EventTime();
    public Dedup dedup = new Dedup();
    public Window window = new Window();
    public List<Rule> rules = new ArrayList<>();
    public Sinks sinks = new Sinks();

    /** Flink job settings. */
    public static final class Job implements Serializable {
        private static final long serialVersionUID = 1L;
        public String name = "windrose";
        public int parallelism = 1;
        /** Also how often at-least-once MQTT acks go out: at most 65,535 un-acked messages per reader in between. */
        public Duration checkpointInterval = Duration.ofSeconds(2);
        /** Passed to Flink's Configuration as they are (e.g. state.backend.type: rocksdb). */
        public Map<String, String> flinkConfig = new LinkedHashMap<>();
    }

    /** MQTT connection. */
    public static final class Mqtt implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Tried in order when a connection fails: tcp://host:port or ssl://host:port. */
        public List<String> servers = new ArrayList<>(List.of("tcp://127.0.0.1:1883"));
        /** 5 or 3.1.1. */
        public String protocolVersion = "5";
        /** Reader n connects as {@code <prefix>-<n>}: unique per job, stable across restarts. */
        public String clientIdPrefix = "windrose";
        public String username;
        /** Better from the environment: password: ${MQTT_PASSWORD}. */
        public String password;
        /** A file holding the password, read on the task manager (e.g. a mounted secret). */
        public String passwordFile;
        public Tls tls = new Tls();
        public int qos = 1;
        /** at-least-once (acks after checkpoints, persistent session) or at-most-once. */
        public String delivery = "at-least-once";
        public Duration keepAlive = Duration.ofSeconds(30);
        /** How long the broker keeps an at-least-once reader's session and un-acked messages while it is away. */
        public Duration sessionExpiry = Duration.ofHours(1);
        /** At parallelism above 1: $share/<group>/<filter> (true) or filters dealt out over the readers (false). */
        public boolean sharedSubscription = true;
        public String sharedGroup = "windrose";
        /** Messages held between client and Flink per reader with at-most-once. */
        public int queueCapacity = 10_000;
        /** At-least-once: most un-acked messages per reader (1..65535); at most this many per checkpoint interval. */
        public int maxUnacked = 50_000;
        public Duration reconnectInitialDelay = Duration.ofMillis(250);
        public Duration reconnectMaxDelay = Duration.ofSeconds(30);
        /** A reader disconnected this long logs a warning and reports stalled. */
        public Duration warnDisconnectedAfter = Duration.ofSeconds(30);
        /** A connected reader without a message this long logs a warning and reports stalled. */
        public Duration warnIdleAfter = Duration.ofMinutes(5);
    }

    /** TLS for ssl:// servers (PEM files). */
    public static final class Tls implements Serializable {
        private static final long serialVersionUID = 1L;
        /** CA certificate(s) to trust; the JVM's trust store when absent. */
        public String caFile;
        /** Client certificate for mutual TLS, with its PKCS#8 key. */
        public String certFile;
        public String keyFile;
        public boolean hostnameVerification = true;
    }

    /** Drops redelivered duplicates (same sensor, event time and values) before windows and alerts. */
    public static final class Dedup implements Serializable {
        private static final long serialVersionUID = 1L;
        /** On by default with mqtt.delivery at-least-once, off with at-most-once. */
        public Boolean enabled;
        /** Readings remembered per sensor: at least what one sensor sends in two checkpoint intervals. */
        public int lastReadings = 32;
        /** A sensor silent this long is forgotten (state TTL). */
        public Duration horizon = Duration.ofHours(1);

        public boolean isOn(Mqtt mqtt) {
            return enabled != null ? enabled : "at-least-once".equals(mqtt.delivery);
        }
    }

    /** A route: which topics, which payload format, how to map it to readings. */
    public static final class Route implements Serializable {
        private static final long serialVersionUID = 2L;
        public String name;
        /** MQTT topic filters; derived from topic-template ({name} → +, {name...} → #) when absent. */
        public List<String> topics = new ArrayList<>();
        /** Captures become tags; {sensor} is the sensor id, {field} the field name of format value. */
        public String topicTemplate;
        /** json | value | avro. */
        public String format = "json";
        /** InfluxDB measurement; the route name when absent. */
        public String measurement;
        /** Payload path (a.b.c) of the sensor id when the template has no {sensor}. */
        public String sensorPath = "sensor";
        /** Format value: the field name when the template has no {field}. */
        public String valueField = "value";
        public Fields fields = new Fields();
        public Timestamp timestamp = new Timestamp();
        public Avro avro = new Avro();
    }

    /** Which payload values become numeric fields, and their names. */
    public static final class Fields implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Payload paths to take fields from (objects are flattened below them); the whole payload when empty. */
        public List<String> paths = new ArrayList<>();
        /** Joins the levels of nested objects in field names: {"a":{"b":1}} → a_b. */
        public String separator = "_";
        /** Field names to keep (before renaming; * matches any text); all when empty. */
        public List<String> include = new ArrayList<>();
        /** Field names to drop (before renaming; * matches any text). */
        public List<String> exclude = new ArrayList<>();
        /** Field name (before renaming) → name written. */
        public Map<String, String> rename = new LinkedHashMap<>();
        /** Accept numbers written as strings ("21.5"). */
        public boolean numericStrings = false;
        /** Take true/false as 1/0. */
        public boolean booleans = false;
    }

    /** Where a reading's event time comes from. */
    public static final class Timestamp implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Payload path (a.b.c) of the timestamp. */
        public String path = "ts";
        /** epoch-s | epoch-ms | epoch-us | epoch-ns | iso-8601 | arrival; epoch-ms for json and avro, arrival for value. */
        public String format;
        /** Zone of ISO-8601 times written without an offset (local device time), e.g. Europe/Berlin. */
        public String zone = "UTC";
    }

    /** Avro payloads. */
    public static final class Avro implements Serializable {
        private static final long serialVersionUID = 1L;
        /** single-object (0xC3 0x01, schema fingerprint, body) or binary (body only, one writer schema). */
        public String encoding = "single-object";
        /** .avsc files or directories of them: the writer schemas (single-object: besides Windrose's own). */
        public List<String> schemas = new ArrayList<>();
    }

    /** Limits of the decode stage. */
    public static final class Decode implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Larger payloads become TOO_LARGE dead letters without being parsed. */
        public int maxPayloadBytes = 256 * 1024;
        /** How much of a payload a dead letter keeps. */
        public int deadLetterPayloadBytes = 64 * 1024;
    }

    /** Watermarks. */
    public static final class EventTime implements Serializable {
        private static final long serialVersionUID = 1L;
        public Duration maxOutOfOrderness = Duration.ofSeconds(2);
        /** A source with no message for this long stops holding back the watermark; 0 = never idle. */
        public Duration idleness = Duration.ofSeconds(30);
        /** How long a window still accepts late readings after the watermark passed its end. */
        public Duration allowedLateness = Duration.ZERO;
        /** A reading stamped further ahead of its arrival is a FUTURE_TIMESTAMP dead letter, so it cannot move the watermark. */
        public Duration maxFutureSkew = Duration.ofMinutes(1);
    }

    /** Windowed aggregates. */
    public static final class Window implements Serializable {
        private static final long serialVersionUID = 1L;
        public Duration size = Duration.ofSeconds(10);
    }

    /** A threshold rule: RAISED when the field goes above (or below) the threshold, CLEARED when it comes back. */
    public static final class Rule implements Serializable {
        private static final long serialVersionUID = 1L;
        public String name;
        public String field;
        public Double above;
        public Double below;
        public String level = "warning";
    }

    /** Outputs. */
    public static final class Sinks implements Serializable {
        private static final long serialVersionUID = 1L;
        public Influxdb influxdb = new Influxdb();
        public Kafka kafka = new Kafka();
    }

    /** InfluxDB: the v2 write API through influxdb-client-java, or the 1.x write API. */
    public static final class Influxdb implements Serializable {
        private static final long serialVersionUID = 2L;
        public boolean enabled = true;
        /** v2 (InfluxDB 2.x, 3.x, Cloud, 1.8+: org, bucket, token) or v1 (1.x servers: database, username, password). */
        public String api = "v2";
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
    }

    /** Kafka outputs, Avro values from the schemas module, key = sensor id. */
    public static final class Kafka implements Serializable {
        private static final long serialVersionUID = 1L;
        public boolean enabled = true;
        public String bootstrapServers = "127.0.0.1:9092";
        public String aggregatesTopic = "telemetry.aggregates";
        public String alertsTopic = "telemetry.alerts";
        public String deadLettersTopic = "telemetry.deadletters";
        public String lateTopic = "telemetry.late";
        /** none | at-least-once | exactly-once. */
        public String deliveryGuarantee = "at-least-once";
        public String transactionalIdPrefix = "windrose";
        /** Extra producer properties (e.g. security.protocol, sasl.jaas.config). */
        public Map<String, String> properties = new LinkedHashMap<>();
    }
}
