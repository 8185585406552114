package io.windrose.cli;

import io.windrose.alert.AlertRule;
import io.windrose.alert.ExpectedSensors;
import io.windrose.alert.RuleBook;
import io.windrose.alert.RuleConfig;
import io.windrose.config.ConfigCheck;
import io.windrose.config.Durations;
import io.windrose.decode.MessageDecoder;
import io.windrose.decode.Route;
import io.windrose.decode.RouteConfig;
import io.windrose.decode.Routes;
import io.windrose.mqtt.MqttSources;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.sink.InfluxDbConfig;
import io.windrose.sink.KafkaSinkConfig;
import io.windrose.window.WindowStatistics;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code windrose check}: validates a pipeline file as the job would at start-up, without starting anything or
 * contacting any server: keys and values, routes (topic templates, payload paths, Avro schemas), rules (and the
 * expected-sensor files of deadman rules), windows, event time, the MQTT source's settings.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Checks a pipeline file without starting anything.",
            "Loads it as the job would, without contacting any server: its keys and values, the routes (topic"
                    + " templates, payload paths, Avro schema files), the rules (and each deadman rule's expected-sensors"
                    + " file), the windows, event time and the MQTT source's settings. Prints one line if the file is"
                    + " valid; otherwise the file, the key and what was expected.",
            "",
            "  windrose check --config pipeline.yaml",
            "  windrose check --config pipeline.yaml --set window.size=30s",
            ""},
        exitCodeListHeading = Cli.EXIT_CODES_HEADING,
        exitCodeList = {"0:the pipeline file is valid", "2:a configuration error (or a usage error)"})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Override
    public Integer call() {
        PipelineConfig config = pipeline.load();
        String file = pipeline.file().toString();
        spec.commandLine().getOut().println("windrose check: " + file + " is valid: " + summary(check(config, file)));
        spec.commandLine().getOut().flush();
        return Cli.OK;
    }

    /** What the job builds from a loaded pipeline file before it runs, offline; throws ConfigException naming the key. */
    public static PipelineConfig check(PipelineConfig config, String file) {
        ConfigCheck check = new ConfigCheck(file);
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < config.routes.size(); i++) {
            RouteConfig route = config.routes.get(i);
            routes.add(check.parse("routes[" + i + "]", () -> Routes.of(route)));
        }
        new MessageDecoder(routes, config.decode.maxPayloadBytes, config.eventTime.maxFutureSkew);
        String measurement = routes.get(0).measurement();
        check.parse("rules", () -> new RuleBook(config.rules, measurement).effective(List.of()));
        for (int i = 0; i < config.rules.size(); i++) {
            RuleConfig rule = config.rules.get(i);
            AlertRule compiled = check.parse("rules[" + i + "]", () -> rule.compile(measurement));
            try {
                ExpectedSensors.read(compiled);
            } catch (IOException e) {
                throw check.error("rules[" + i + "].expected", "cannot read the expected sensors from '" + rule.expected
                        + "': " + e);
            }
        }
        check.parse("window", () -> WindowStatistics.of(config.window));
        check.parse("window", config.window::assigner);
        check.parse("event-time", config.eventTime::watermarks);
        LinkedHashSet<String> filters = new LinkedHashSet<>();
        config.routes.forEach(route -> filters.addAll(route.topicFilters()));
        check.parse("mqtt", () -> MqttSources.builder(config.mqtt)
                .setCheckpointInterval(config.job.checkpointInterval).setTopics(List.copyOf(filters)).build());
        return config;
    }

    /** One line: where the job reads and writes, and what it computes. */
    static String summary(PipelineConfig config) {
        InfluxDbConfig influx = config.sinks.influxdb;
        KafkaSinkConfig kafka = config.sinks.kafka;
        return "MQTT " + String.join(",", config.mqtt.servers)
                + ", " + count(config.routes.size(), "route") + ", " + count(config.rules.size(), "rule")
                + ", window " + config.window.tag()
                + (config.window.tiers.isEmpty() ? "" : " (tiers " + String.join(", ",
                        config.window.tiers.stream().map(Durations::format).toList()) + ")")
                + ", InfluxDB " + (influx.enabled ? influx.target() : "off")
                + ", Kafka " + (kafka.enabled ? kafka.bootstrapServers : "off");
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
