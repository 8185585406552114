package io.windrose.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.alert.RuleUpdates;
import io.windrose.config.ConfigException;
import io.windrose.decode.AvroEncoding;
import io.windrose.decode.PayloadFormat;
import io.windrose.decode.RouteConfig;
import io.windrose.decode.TimestampFormat;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.common.MqttProtocolVersion;
import io.windrose.sink.InfluxApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigLoaderTest {
    private static final String MINIMAL = """
            routes:
              - name: sensors
                topic-template: sensors/{site}/{sensor}
            """;

    @TempDir
    Path dir;

    @Test
    void minimalFileGetsDefaultsAndTopicsFromTheTemplate() throws IOException {
        PipelineConfig config = load(MINIMAL);
        assertThat(config.routes.get(0).topicFilters()).containsExactly("sensors/+/+");
        assertThat(config.routes.get(0).measurementName()).isEqualTo("sensors");
        assertThat(config.window.size).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mqtt.servers).containsExactly("tcp://127.0.0.1:1883");
        assertThat(config.sinks.kafka.aggregatesTopic).isEqualTo("telemetry.aggregates");
        assertThat(config.sinks.influxdb.bucket).isEqualTo("telemetry");
    }

    @Test
    void anExplicitNullTurnsAKafkaOutputOffAndIsRefusedNamingTheKeyWhereADefaultWouldSilentlyStay() throws IOException {
        PipelineConfig off = load(MINIMAL + "sinks:\n  kafka:\n    late-topic: ~\n"
                + "runtime-rules:\n  topic: null\n  status-topic:\n  commands-topic: null\n");
        assertThat(off.runtimeRules.topic).isNull();
        assertThat(off.runtimeRules.statusTopic).isNull();
        assertThat(off.runtimeRules.commandsTopic).isNull();
        assertThat(off.sinks.kafka.lateTopic).isNull();
        assertThat(off.sinks.kafka.aggregatesTopic).isEqualTo("telemetry.aggregates");
        assertThat(RuleUpdates.enabled(off.sinks.kafka, off.runtimeRules)).isFalse();
        assertThat(new PipelineConfigLoader().load(write(MINIMAL), List.of("sinks.kafka.dead-letters-topic=null"))
                .sinks.kafka.deadLettersTopic).isNull();

        // keys whose default is null take null as that default
        PipelineConfig unset = load(MINIMAL + "job:\n  parallelism: null\nmqtt:\n  username:\nwindow:\n  slide: null\n");
        assertThat(unset.job.parallelism).isNull();
        assertThat(unset.mqtt.username).isNull();

        // every other key: an error naming it, never the default kept silently
        assertThatThrownBy(() -> load(MINIMAL + "window:\n  size: null\n"))
                .hasMessageContaining("key 'window.size'").hasMessageContaining("null").hasMessageContaining("10s");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  influxdb:\n    url:\n"))
                .hasMessageContaining("key 'sinks.influxdb.url'").hasMessageContaining("http://127.0.0.1:8086");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  qos: null\n"))
                .hasMessageContaining("key 'mqtt.qos'").hasMessageContaining("not allowed");
        assertThatThrownBy(() -> load(MINIMAL + "rules:\n"))
                .hasMessageContaining("key 'rules'").hasMessageContaining("[] for none");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  kafka:\n"))
                .hasMessageContaining("key 'sinks.kafka'").hasMessageContaining("give its keys");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  kafka:\n    enabled: null\n"))
                .hasMessageContaining("key 'sinks.kafka.enabled'").hasMessageContaining("true");
        assertThatThrownBy(() -> load("routes:\n  - name: s\n    topic-template: s/{sensor}\n    fields:\n"
                + "      include: [a, null]\n"))
                .hasMessageContaining("key 'routes[0].fields.include").hasMessageContaining("in a list");
        assertThatThrownBy(() -> new PipelineConfigLoader().load(write(MINIMAL), List.of("window.size=null")))
                .hasMessageContaining("key 'window.size'");
        // the status topic answers rule updates: it cannot be off while they are on
        assertThatThrownBy(() -> load(MINIMAL + "runtime-rules:\n  status-topic: null\n"))
                .hasMessageContaining("key 'runtime-rules.status-topic'").hasMessageContaining("while topic is set");
        // ... nor while alert commands are on (it answers them too)
        assertThatThrownBy(() -> load(MINIMAL + "runtime-rules:\n  topic: null\n  status-topic: null\n"))
                .hasMessageContaining("key 'runtime-rules.status-topic'").hasMessageContaining("while commands-topic is set");
    }

    @Test
    void runtimeRulesAreOnWithKafkaAndARulesTopicOnly() throws IOException {
        PipelineConfig defaults = load(MINIMAL);
        assertThat(defaults.runtimeRules.topic).isEqualTo("telemetry.rules");
        assertThat(defaults.runtimeRules.statusTopic).isEqualTo("telemetry.rules.status");
        assertThat(defaults.runtimeRules.commandsTopic).isEqualTo("telemetry.alerts.commands");
        assertThat(RuleUpdates.enabled(defaults.sinks.kafka, defaults.runtimeRules)).isTrue();
        assertThat(RuleUpdates.off(defaults.sinks.kafka, defaults.runtimeRules)).isNull();

        PipelineConfig noKafka = load(MINIMAL + "sinks:\n  kafka:\n    enabled: false\n"
                + "runtime-rules:\n  topic: site.rules\n");
        assertThat(RuleUpdates.enabled(noKafka.sinks.kafka, noKafka.runtimeRules)).isFalse();
        assertThat(RuleUpdates.off(noKafka.sinks.kafka, noKafka.runtimeRules))
                .isEqualTo("sinks.kafka.enabled is false");
        PipelineConfig noTopic = load(MINIMAL + "runtime-rules:\n  topic: null\n");
        assertThat(RuleUpdates.off(noTopic.sinks.kafka, noTopic.runtimeRules)).isEqualTo("runtime-rules.topic is null");

        for (String key : List.of("topic", "status-topic", "commands-topic")) {
            assertThatThrownBy(() -> load(MINIMAL + "runtime-rules:\n  " + key + ": ' '\n")).as(key)
                    .hasMessageContaining("key 'runtime-rules." + key + "'")
                    .hasMessageContaining("expected a topic name");
        }
    }

    @Test
    void theRuleTopicsOfSinksKafkaStopLoadingNamingTheirNewKeys() throws IOException {
        // in the file, with a value or null (which turned runtime rules off)
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  kafka:\n    rules-topic: site.rules\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("pipeline.yaml")
                        + ": key 'sinks.kafka.rules-topic': moved to runtime-rules.topic");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  kafka:\n    bootstrap-servers: k:9092\n"
                + "    rules-status-topic: null\n"))
                .hasMessageContaining("pipeline.yaml")
                .hasMessageContaining("key 'sinks.kafka.rules-status-topic': moved to runtime-rules.status-topic");
        // as an override, also in brackets or as a mapping
        Path file = write(MINIMAL);
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("sinks.kafka.rules-topic=null")))
                .hasMessageContaining("pipeline.yaml")
                .hasMessageContaining("key 'sinks.kafka.rules-topic': moved to runtime-rules.topic");
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("sinks[kafka][rules-status-topic]=x")))
                .hasMessageContaining("key 'sinks.kafka.rules-status-topic': moved to runtime-rules.status-topic");
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("sinks.kafka={rules-topic: x}")))
                .hasMessageContaining("key 'sinks.kafka.rules-topic': moved to runtime-rules.topic");
        // the new keys load, from the file and as overrides
        PipelineConfig moved = new PipelineConfigLoader().load(write(MINIMAL + "runtime-rules:\n  topic: site.rules\n"),
                List.of("runtime-rules.status-topic=site.rules.status"));
        assertThat(moved.runtimeRules.topic).isEqualTo("site.rules");
        assertThat(moved.runtimeRules.statusTopic).isEqualTo("site.rules.status");
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheKeysExpected() {
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  serverz: [tcp://x:1]\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipeline.yaml")
                .hasMessageContaining("key 'mqtt.serverz'")
                .hasMessageContaining("unknown key")
                .hasMessageContaining("servers");
    }

    @Test
    void unknownKeyInsideAListItemIsNamedWithItsIndex() {
        assertThatThrownBy(() -> load("routes:\n  - name: a\n    topic-templat: x/{sensor}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'routes[0].topic-templat'");
    }

    @Test
    void badDurationSaysWhatWasExpected() {
        assertThatThrownBy(() -> load(MINIMAL + "window:\n  size: ten seconds\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'window.size'")
                .hasMessageContaining("expected a duration such as 500ms, 10s");
        assertThatThrownBy(() -> load(MINIMAL + "window:\n  size: 10\n"))
                .hasMessageContaining("key 'window.size'")
                .hasMessageContaining("with a unit");
    }

    @Test
    void wrongTypeAndBadValuesAreRejected() {
        assertThatThrownBy(() -> load(MINIMAL + "job:\n  parallelism: many\n"))
                .hasMessageContaining("key 'job.parallelism'").hasMessageContaining("a whole number");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  qos: 3\n"))
                .hasMessageContaining("key 'mqtt.qos'").hasMessageContaining("expected 0, 1 or 2");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  servers: [http://broker:1883]\n"))
                .hasMessageContaining("key 'mqtt.servers[0]'").hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  kafka:\n    delivery-guarantee: twice\n"))
                .hasMessageContaining("key 'sinks.kafka.delivery-guarantee'").hasMessageContaining("exactly-once");
        assertThatThrownBy(() -> load("routes:\n  - name: a\n    topic-template: a/{x}/{x}\n"))
                .hasMessageContaining("key 'routes[0].topic-template'").hasMessageContaining("appears twice");
        assertThatThrownBy(() -> load("routes:\n  - name: a\n    topics: ['a/#/b']\n"))
                .hasMessageContaining("key 'routes[0].topics[0]'");
        assertThatThrownBy(() -> load(MINIMAL + "rules:\n  - name: r\n    field: t\n"))
                .hasMessageContaining("key 'rules[0]'").hasMessageContaining("exactly one of 'above' or 'below'");
        assertThatThrownBy(() -> load("window:\n  size: 10s\n"))
                .hasMessageContaining("key 'routes'").hasMessageContaining("at least one route");
    }

    @Test
    void invalidYamlNamesTheLine() {
        assertThatThrownBy(() -> load("routes:\n  - name: [unclosed\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML at line");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> new PipelineConfigLoader().load(dir.resolve("nope.yaml"), List.of()))
                .hasMessageContaining("nope.yaml").hasMessageContaining("file not found");
    }

    @Test
    void environmentVariablesAreInterpolatedAndAMissingOneIsAnError() throws IOException {
        Path file = write(MINIMAL + "mqtt:\n  username: ${MQTT_USER:-device}\n  password: ${MQTT_PASSWORD}\n");
        PipelineConfig config = new PipelineConfigLoader(Map.of("MQTT_PASSWORD", "s3cret")::get).load(file, List.of());
        assertThat(config.mqtt.username).isEqualTo("device");
        assertThat(config.mqtt.password).isEqualTo("s3cret");
        assertThatThrownBy(() -> new PipelineConfigLoader(name -> null).load(file, List.of()))
                .hasMessageContaining("key 'mqtt.password'")
                .hasMessageContaining("environment variable MQTT_PASSWORD is not set");
    }

    @Test
    void overridesSetScalarsListItemsAndAreCheckedLikeTheFile() throws IOException {
        Path file = write(MINIMAL);
        PipelineConfig config = new PipelineConfigLoader().load(file,
                List.of("window.size=30s", "job.parallelism=2", "routes.0.measurement=climate", "sinks.kafka.enabled=false"));
        assertThat(config.window.size).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.job.parallelism).isEqualTo(2);
        assertThat(config.routes.get(0).measurement).isEqualTo("climate");
        assertThat(config.sinks.kafka.enabled).isFalse();
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("window.sise=30s")))
                .hasMessageContaining("key 'window.sise'");
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("window.size")))
                .hasMessageContaining("key=value");
    }

    @Test
    void anOverrideNamesAKeyWithDotsInBrackets() throws IOException {
        Path file = write(MINIMAL + """
                job:
                  flink-config:
                    rest.bind-port: "8081"
                    metrics.reporter.prom.port: "9249"
                """);
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of("job.flink-config[rest.bind-port]=8082",
                "job.flink-config[web.submit.enable]=true", "routes[0].measurement=climate"));
        assertThat(config.job.flinkConfig).containsExactly(Map.entry("rest.bind-port", "8082"),
                Map.entry("metrics.reporter.prom.port", "9249"), Map.entry("web.submit.enable", "true"));
        assertThat(config.routes.get(0).measurement).isEqualTo("climate");
        // a map that the file does not have yet, and '=' inside the brackets belongs to the name
        assertThat(new PipelineConfigLoader().load(write(MINIMAL), List.of("job[flink-config][a=b.c]=x=y"))
                .job.flinkConfig).containsExactly(Map.entry("a=b.c", "x=y"));
    }

    @Test
    void aMalformedOverrideKeyIsNamed() throws IOException {
        Path file = write(MINIMAL);
        for (String bad : List.of("job.flink-config[rest.bind-port=1", "job.flink-config[]=1", "job..parallelism=1",
                "job.flink-config[a]b=1", "job.flink-config]a[=1", "job.=1")) {
            assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of(bad))).as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("key '" + bad.substring(0, bad.lastIndexOf('=')) + "'");
        }
        // without brackets every dot separates names: Flink's keys are not maps
        assertThatThrownBy(() -> new PipelineConfigLoader().load(file, List.of("job.flink-config.rest.bind-port=1")))
                .hasMessageContaining("job.flink-config.rest");
    }

    @Test
    void passwordIsNeverInTheSourceOptionsText() throws IOException {
        PipelineConfig config = new PipelineConfigLoader(Map.of("P", "hunter2")::get)
                .load(write(MINIMAL + "mqtt:\n  username: u\n  password: ${P}\n"), List.of());
        String text = io.windrose.mqtt.MqttSources.builder(config.mqtt).setTopics(List.of("a/#")).build().options()
                .toString();
        assertThat(text).contains("username=u").doesNotContain("hunter2");
    }

    @Test
    void windowKindsTiersAndStatisticsAreCheckedWhereTheyAreWritten() throws IOException {
        PipelineConfig sliding = load(MINIMAL + "window: {size: 1m, slide: 10s, stats: [count, p99]}\n");
        assertThat(sliding.window.tag()).isEqualTo("1m/10s");
        assertThat(load(MINIMAL + "window: {session-gap: 30s}\n").window.tag()).isEqualTo("session");
        assertThat(load(MINIMAL + "window: {size: 10s, tiers: [1m, 1h]}\n").window.tiers)
                .containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThatThrownBy(() -> load(MINIMAL + "window: {size: 10s, slide: 10s}\n"))
                .hasMessageContaining("key 'window.slide'").hasMessageContaining("less than window.size (10s)");
        assertThatThrownBy(() -> load(MINIMAL + "window: {slide: 5s, session-gap: 1m}\n"))
                .hasMessageContaining("key 'window.session-gap'").hasMessageContaining("not both");
        assertThatThrownBy(() -> load(MINIMAL + "window: {size: 10s, tiers: [1m, 90s]}\n"))
                .hasMessageContaining("key 'window.tiers[1]'").hasMessageContaining("a multiple of 1m larger than it");
        assertThatThrownBy(() -> load(MINIMAL + "window: {session-gap: 1m, tiers: [1h]}\n"))
                .hasMessageContaining("key 'window.tiers'").hasMessageContaining("only over tumbling windows");
        assertThatThrownBy(() -> load(MINIMAL + "window: {stats: [count, p42]}\n"))
                .hasMessageContaining("window.stats").hasMessageContaining("p99");
        assertThatThrownBy(() -> load(MINIMAL + "window: {stats: [count, count]}\n"))
                .hasMessageContaining("key 'window.stats'").hasMessageContaining("distinct");
        assertThatThrownBy(() -> load(MINIMAL + "window: {percentile-accuracy: 1.5}\n"))
                .hasMessageContaining("key 'window.percentile-accuracy'");
    }

    private PipelineConfig load(String yaml) throws IOException {
        return new PipelineConfigLoader().load(write(yaml), List.of());
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void mqttDeliverySettingsAreCheckedAgainstEachOther() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  delivery: exactly-once\n"))
                .hasMessageContaining("key 'mqtt.delivery'")
                .hasMessageContaining("expected one of [at-most-once, at-least-once], got 'exactly-once'");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  qos: 0\n"))
                .hasMessageContaining("key 'mqtt.qos'")
                .hasMessageContaining("expected 1 or 2 with mqtt.delivery at-least-once");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  max-unacked: 70000\n"))
                .hasMessageContaining("key 'mqtt.max-unacked'")
                .hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  hand-over-linger: 1s\n"))
                .hasMessageContaining("key 'mqtt.hand-over-linger'")
                .hasMessageContaining("expected a duration from 0s to 100ms, got PT1S");
        assertThat(load(MINIMAL + "mqtt:\n  hand-over-linger: 0s\n").mqtt.handOverLinger).isZero();
        assertThat(load(MINIMAL).mqtt.handOverLinger).isEqualTo(Duration.ofMillis(2));
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  protocol-version: 4\n"))
                .hasMessageContaining("key 'mqtt.protocol-version'")
                .hasMessageContaining("expected 5 or 3.1.1");
        PipelineConfig atMostOnce = load(MINIMAL + "mqtt:\n  qos: 0\n  delivery: at-most-once\n");
        assertThat(atMostOnce.mqtt.delivery).isEqualTo(MqttDeliveryGuarantee.AT_MOST_ONCE);
        assertThat(atMostOnce.dedup.isOn(atMostOnce.mqtt.delivery)).isFalse();
        assertThat(load(MINIMAL).dedup.isOn(load(MINIMAL).mqtt.delivery)).isTrue();
    }

    @Test
    void enumeratedSettingsBindToTheirTypesFromTheirWrittenForm() throws IOException {
        assertThat(load(MINIMAL + "mqtt:\n  protocol-version: 5\n").mqtt.protocolVersion).isEqualTo(MqttProtocolVersion.V5);
        assertThat(load(MINIMAL + "mqtt:\n  protocol-version: 5.0\n").mqtt.protocolVersion).isEqualTo(MqttProtocolVersion.V5);
        assertThat(load(MINIMAL + "mqtt:\n  protocol-version: 3.1.1\n").mqtt.protocolVersion)
                .isEqualTo(MqttProtocolVersion.V3_1_1);
        assertThat(load(MINIMAL + "mqtt:\n  protocol-version: '3'\n").mqtt.protocolVersion)
                .isEqualTo(MqttProtocolVersion.V3_1_1);
        PipelineConfig config = load("""
                routes:
                  - name: shelly
                    topic-template: shellies/{sensor}/sensor/{field}
                    format: value
                  - name: gw
                    topic-template: gw/{sensor}
                    format: avro
                    timestamp: {format: epoch-s}
                sinks:
                  influxdb: {api: v1, database: d}
                  kafka: {delivery-guarantee: exactly-once}
                """);
        assertThat(config.routes).extracting(r -> r.format).containsExactly(PayloadFormat.VALUE, PayloadFormat.AVRO);
        assertThat(config.routes).extracting(RouteConfig::timestampFormat)
                .containsExactly(TimestampFormat.ARRIVAL, TimestampFormat.EPOCH_S);
        assertThat(config.routes.get(1).avro.encoding).isEqualTo(AvroEncoding.SINGLE_OBJECT);
        assertThat(config.sinks.influxdb.api).isEqualTo(InfluxApi.V1);
        assertThat(config.sinks.kafka.deliveryGuarantee).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThatThrownBy(() -> load("routes:\n  - name: a\n    topic-template: a/{sensor}\n    format: xml\n"))
                .hasMessageContaining("key 'routes[0].format'").hasMessageContaining("expected one of [json, value, avro, sparkplug-b]")
                .hasMessageContaining("got 'xml'");
        assertThatThrownBy(() -> load("routes:\n  - name: a\n    topic-template: a/{sensor}\n    timestamp: {format: epoch-h}\n"))
                .hasMessageContaining("key 'routes[0].timestamp.format'").hasMessageContaining("epoch-ms");
    }

    @Test
    void secretAndCertificateFilesMustExistAtStartUp() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  username: u\n  password-file: /no/such/secret\n"))
                .hasMessageContaining("key 'mqtt.password-file'")
                .hasMessageContaining("'/no/such/secret' does not exist or cannot be read");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  tls:\n    ca-file: /no/such/ca.crt\n"))
                .hasMessageContaining("key 'mqtt.tls.ca-file'");
        Path cert = Files.writeString(dir.resolve("client.crt"), "x");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  tls:\n    cert-file: " + cert + "\n"))
                .hasMessageContaining("key 'mqtt.tls.key-file'")
                .hasMessageContaining("both mqtt.tls.cert-file and mqtt.tls.key-file");
        assertThatThrownBy(() -> load(MINIMAL + "mqtt:\n  username: u\n  password: p\n  password-file: " + cert + "\n"))
                .hasMessageContaining("either mqtt.password or mqtt.password-file");
    }

    @Test
    void influxSinkKeysAreChecked() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  influxdb:\n    api: v3\n"))
                .hasMessageContaining("key 'sinks.influxdb.api'").hasMessageContaining("v2").hasMessageContaining("v1");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  influxdb:\n    api: v1\n"))
                .hasMessageContaining("key 'sinks.influxdb.database'");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  influxdb:\n    api: v1\n    database: d\n    password: p\n"))
                .hasMessageContaining("key 'sinks.influxdb.password'").hasMessageContaining("username");
        assertThatThrownBy(() -> load(MINIMAL + "sinks:\n  influxdb:\n    retry-timeout: 0s\n"))
                .hasMessageContaining("key 'sinks.influxdb.retry-timeout'");
        PipelineConfig v1 = load(MINIMAL + "sinks:\n  influxdb:\n    api: v1\n    database: d\n    username: u\n"
                + "    password: p\n");
        assertThat(v1.sinks.influxdb.retentionPolicy).isNull();
    }

    @Test
    void aRepeatedKeyIsAnErrorNotASilentReplacement() {
        assertThatThrownBy(() -> load(MINIMAL + "job:\n  name: a\nwindow:\n  size: 5s\njob:\n  parallelism: 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pipeline.yaml").hasMessageContaining("line 8").hasMessageContaining("'job'");
    }

    @Test
    void theLocalStackPipelineLoadsFromAnyDirectory() {
        PipelineConfig config = new PipelineConfigLoader().load(Path.of("../local-cluster/pipeline.yaml"), List.of());
        assertThat(config.routes).extracting(r -> r.name).containsExactly("sensors", "zigbee", "tasmota", "shelly", "gateway", "plant");
        assertThat(Path.of(config.routes.get(4).avro.schemas.get(0))).as("relative to the file").isAbsolute()
                .endsWith(Path.of("local-cluster/examples/schemas/GatewayReading.avsc")).exists();
    }
}
