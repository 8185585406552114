package io.windrose.config;

import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import io.windrose.decode.PayloadPath;
import io.windrose.decode.Routes;
import io.windrose.decode.TimestampFormat;
import io.windrose.decode.TopicTemplate;
import io.windrose.mqtt.MqttDeliveryMode;
import io.windrose.mqtt.MqttProtocolVersion;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/** Checks the meaning of a bound pipeline file; throws {@link ConfigException} at the first problem. */
final class PipelineConfigValidator {
    private static final List<String> FORMATS = List.of("json", "value", "avro");
    private static final List<String> AVRO_ENCODINGS = List.of("single-object", "binary");
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "mqtt", "mqtts");
    private static final Set<String> GUARANTEES = Set.of("none", "at-least-once", "exactly-once");

    private final String file;

    PipelineConfigValidator(String file) {
        this.file = file;
    }

    void validate(PipelineConfig c) {
        require(c.job.parallelism >= 1, "job.parallelism", "expected a whole number of at least 1");
        positive(c.job.checkpointInterval, "job.checkpoint-interval");
        require(!blank(c.job.name), "job.name", "expected a non-empty name");

        require(!c.mqtt.servers.isEmpty(), "mqtt.servers", "expected at least one server URI such as tcp://127.0.0.1:1883");
        for (int i = 0; i < c.mqtt.servers.size(); i++) {
            serverUri(c.mqtt.servers.get(i), "mqtt.servers[" + i + "]");
        }
        require(!blank(c.mqtt.clientIdPrefix), "mqtt.client-id-prefix", "expected a non-empty client id prefix");
        require(c.mqtt.qos >= 0 && c.mqtt.qos <= 2, "mqtt.qos", "expected 0, 1 or 2, got " + c.mqtt.qos);
        require(c.mqtt.password == null || c.mqtt.username != null, "mqtt.password", "a password needs mqtt.username too");
        require(c.mqtt.passwordFile == null || c.mqtt.username != null, "mqtt.password-file",
                "a password file needs mqtt.username too");
        require(c.mqtt.password == null || c.mqtt.passwordFile == null, "mqtt.password-file",
                "expected either mqtt.password or mqtt.password-file, not both");
        readableFile(c.mqtt.passwordFile, "mqtt.password-file");
        enumValue(() -> MqttProtocolVersion.parse(c.mqtt.protocolVersion), "mqtt.protocol-version");
        enumValue(() -> MqttDeliveryMode.parse(c.mqtt.delivery), "mqtt.delivery");
        require(c.mqtt.qos > 0 || !"at-least-once".equals(c.mqtt.delivery), "mqtt.qos",
                "expected 1 or 2 with mqtt.delivery at-least-once (QoS 0 messages are never redelivered), got 0");
        positive(c.mqtt.keepAlive, "mqtt.keep-alive");
        positive(c.mqtt.sessionExpiry, "mqtt.session-expiry");
        require(c.mqtt.queueCapacity > 0, "mqtt.queue-capacity", "expected a whole number above 0");
        require(c.mqtt.maxUnacked > 0 && c.mqtt.maxUnacked <= 65_535, "mqtt.max-unacked",
                "expected a whole number from 1 to 65535 (MQTT packet identifiers are 16 bits), got " + c.mqtt.maxUnacked);
        require(!blank(c.mqtt.sharedGroup) && !c.mqtt.sharedGroup.matches(".*[/+#].*"), "mqtt.shared-group",
                "expected a group name without '/', '+' or '#'");
        positive(c.mqtt.reconnectInitialDelay, "mqtt.reconnect-initial-delay");
        positive(c.mqtt.reconnectMaxDelay, "mqtt.reconnect-max-delay");
        positive(c.mqtt.warnDisconnectedAfter, "mqtt.warn-disconnected-after");
        positive(c.mqtt.warnIdleAfter, "mqtt.warn-idle-after");
        readableFile(c.mqtt.tls.caFile, "mqtt.tls.ca-file");
        readableFile(c.mqtt.tls.certFile, "mqtt.tls.cert-file");
        readableFile(c.mqtt.tls.keyFile, "mqtt.tls.key-file");
        require((c.mqtt.tls.certFile == null) == (c.mqtt.tls.keyFile == null), "mqtt.tls",
                "expected both cert-file and key-file for a client certificate, or neither");
        positive(c.dedup.horizon, "dedup.horizon");
        require(c.dedup.lastReadings > 0, "dedup.last-readings", "expected a whole number above 0");

        require(!c.routes.isEmpty(), "routes", "expected at least one route (name, topic-template, format)");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < c.routes.size(); i++) {
            route(c.routes.get(i), "routes[" + i + "]", names);
        }

        notNegative(c.eventTime.maxOutOfOrderness, "event-time.max-out-of-orderness");
        notNegative(c.eventTime.idleness, "event-time.idleness");
        notNegative(c.eventTime.allowedLateness, "event-time.allowed-lateness");
        notNegative(c.eventTime.maxFutureSkew, "event-time.max-future-skew");
        require(c.decode.maxPayloadBytes > 0, "decode.max-payload-bytes", "expected a whole number of bytes above 0");
        require(c.decode.deadLetterPayloadBytes >= 0, "decode.dead-letter-payload-bytes",
                "expected a whole number of bytes, 0 or more");
        positive(c.window.size, "window.size");

        Set<String> ruleNames = new HashSet<>();
        for (int i = 0; i < c.rules.size(); i++) {
            PipelineConfig.Rule rule = c.rules.get(i);
            String key = "rules[" + i + "]";
            require(!blank(rule.name), key + ".name", "expected a rule name");
            require(ruleNames.add(rule.name), key + ".name", "rule name '" + rule.name + "' is used twice");
            require(!blank(rule.field), key + ".field", "expected the field the rule watches, e.g. temperature");
            require((rule.above == null) != (rule.below == null), key,
                    "expected exactly one of 'above' or 'below' with the threshold");
            require(!blank(rule.level), key + ".level", "expected a level such as warning or critical");
        }

        PipelineConfig.Influxdb influx = c.sinks.influxdb;
        if (influx.enabled) {
            httpUrl(influx.url, "sinks.influxdb.url");
            require("v2".equals(influx.api) || "v1".equals(influx.api), "sinks.influxdb.api",
                    "expected v2 (InfluxDB 2.x, 3.x, Cloud, 1.8+) or v1 (InfluxDB 1.x), got '" + influx.api + "'");
            if ("v2".equals(influx.api)) {
                require(!blank(influx.bucket), "sinks.influxdb.bucket", "expected a bucket (or database/retention-policy for 1.8)");
            } else {
                require(!blank(influx.database), "sinks.influxdb.database", "expected the database to write to with api v1");
                require(influx.password == null || influx.username != null, "sinks.influxdb.password",
                        "a password needs sinks.influxdb.username too");
            }
            positive(influx.retryInitialDelay, "sinks.influxdb.retry-initial-delay");
            positive(influx.retryMaxDelay, "sinks.influxdb.retry-max-delay");
            positive(influx.retryTimeout, "sinks.influxdb.retry-timeout");
            require(influx.batchSize > 0, "sinks.influxdb.batch-size", "expected a whole number above 0");
            positive(influx.flushInterval, "sinks.influxdb.flush-interval");
        }
        PipelineConfig.Kafka kafka = c.sinks.kafka;
        if (kafka.enabled) {
            require(!blank(kafka.bootstrapServers), "sinks.kafka.bootstrap-servers", "expected host:port[,host:port]");
            require(GUARANTEES.contains(kafka.deliveryGuarantee), "sinks.kafka.delivery-guarantee",
                    "expected one of " + GUARANTEES + ", got '" + kafka.deliveryGuarantee + "'");
            for (String topic : List.of(kafka.aggregatesTopic, kafka.alertsTopic, kafka.deadLettersTopic, kafka.lateTopic)) {
                require(!blank(topic), "sinks.kafka", "topic names must not be empty");
            }
        }
    }

    private void route(PipelineConfig.Route route, String key, Set<String> names) {
        require(!blank(route.name) && route.name.matches("[A-Za-z0-9_.-]+"), key + ".name",
                "expected a route name of letters, digits, '_', '-' or '.'");
        require(names.add(route.name), key + ".name", "route name '" + route.name + "' is used twice");
        require(FORMATS.contains(route.format), key + ".format", "expected one of " + FORMATS + ", got '" + route.format + "'");
        require(route.topicTemplate != null || !route.topics.isEmpty(), key,
                "expected a topic-template (e.g. sensors/{site}/{sensor}) or a list of topics");
        TopicTemplate template = null;
        if (route.topicTemplate != null) {
            try {
                template = TopicTemplate.parse(route.topicTemplate);
                if (route.topics.isEmpty()) {
                    route.topics.add(template.toFilter());
                }
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, key + ".topic-template", e.getMessage());
            }
        }
        for (int i = 0; i < route.topics.size(); i++) {
            try {
                MqttTopicFilter.of(route.topics.get(i));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, key + ".topics[" + i + "]", "expected an MQTT topic filter ('+' for one"
                        + " level, '#' last for the rest): " + e.getMessage());
            }
        }
        if (route.measurement == null) {
            route.measurement = route.name;
        }
        require(!blank(route.measurement), key + ".measurement", "expected a non-empty measurement name");
        path(route.sensorPath, key + ".sensor-path");
        fields(route.fields, key + ".fields");
        timestamp(route, key + ".timestamp");
        if ("value".equals(route.format)) {
            require(template != null && template.hasCapture("sensor"), key + ".topic-template",
                    "format value needs the sensor id in the topic: a template with {sensor}, e.g. shellies/{sensor}/sensor/{field}");
            require(template.hasCapture("field") || !blank(route.valueField), key + ".value-field",
                    "expected the field name for format value (or a {field} capture in the topic template)");
        }
        if ("avro".equals(route.format)) {
            avro(route, key + ".avro");
        }
    }

    private void fields(PipelineConfig.Fields fields, String key) {
        for (int i = 0; i < fields.paths.size(); i++) {
            path(fields.paths.get(i), key + ".paths[" + i + "]");
        }
        require(fields.separator != null, key + ".separator", "expected a separator such as _ or .");
        for (int i = 0; i < fields.include.size(); i++) {
            require(!blank(fields.include.get(i)), key + ".include[" + i + "]", "expected a field name or glob such as temp*");
        }
        for (int i = 0; i < fields.exclude.size(); i++) {
            require(!blank(fields.exclude.get(i)), key + ".exclude[" + i + "]", "expected a field name or glob such as temp*");
        }
        fields.rename.forEach((from, to) -> require(!blank(to), key + ".rename." + from, "expected the new field name"));
    }

    private void timestamp(PipelineConfig.Route route, String key) {
        TimestampFormat format;
        try {
            format = Routes.timestampFormat(route);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key + ".format", e.getMessage());
        }
        if (format != TimestampFormat.ARRIVAL) {
            path(route.timestamp.path, key + ".path");
        }
        require(!"value".equals(route.format) || format == TimestampFormat.ARRIVAL, key + ".format",
                "format value carries no timestamp: expected arrival, got '" + route.timestamp.format + "'");
        try {
            ZoneId.of(route.timestamp.zone);
        } catch (DateTimeException | NullPointerException e) {
            throw new ConfigException(file, key + ".zone", "expected a time zone such as UTC or Europe/Berlin, got '"
                    + route.timestamp.zone + "'");
        }
    }

    private void avro(PipelineConfig.Route route, String key) {
        require(AVRO_ENCODINGS.contains(route.avro.encoding), key + ".encoding",
                "expected one of " + AVRO_ENCODINGS + ", got '" + route.avro.encoding + "'");
        require("single-object".equals(route.avro.encoding) || !route.avro.schemas.isEmpty(), key + ".schemas",
                "binary Avro needs the writer schema: schemas: [path/to/Reading.avsc]");
        List<Schema> schemas;
        try {
            schemas = Routes.schemas(route);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key + ".schemas", e.getMessage());
        }
        require("single-object".equals(route.avro.encoding) || schemas.size() == 1, key + ".schemas",
                "binary Avro needs exactly one writer record schema, found " + schemas.size());
    }

    private void path(String path, String key) {
        try {
            PayloadPath.parse(path);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key, e.getMessage());
        }
    }

    private void serverUri(String value, String key) {
        try {
            URI uri = URI.create(value);
            require(SCHEMES.contains(uri.getScheme()) && uri.getHost() != null, key,
                    "expected tcp://host:port or ssl://host:port, got '" + value + "'");
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key, "expected tcp://host:port or ssl://host:port, got '" + value + "'");
        }
    }

    private void readableFile(String path, String key) {
        if (path != null) {
            require(Files.isReadable(Path.of(path)), key, "expected a readable file, but '" + path
                    + "' does not exist or cannot be read");
        }
    }

    private void enumValue(Runnable parse, String key) {
        try {
            parse.run();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(file, key, e.getMessage());
        }
    }

    private void httpUrl(String value, String key) {
        try {
            URI uri = URI.create(value);
            require(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null, key,
                    "expected http(s)://host:port, got '" + value + "'");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(file, key, "expected http(s)://host:port, got '" + value + "'");
        }
    }

    private void positive(Duration d, String key) {
        require(d != null && !d.isNegative() && !d.isZero(), key, "expected a duration above zero such as 10s");
    }

    private void notNegative(Duration d, String key) {
        require(d != null && !d.isNegative(), key, "expected a duration of zero or more such as 5s");
    }

    private void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw new ConfigException(file, key, expected);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
