package io.windrose.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code --set} overrides that point a pipeline at the local stack's services where the pipeline means them: a
 * service address that the file leaves out (the job's default is the stack's default address) or that names this
 * machine with the service's default port (tcp://127.0.0.1:1883, http://localhost:8086, 127.0.0.1:9092) is replaced by
 * the stack's port; an address elsewhere (your own broker), or an output the file turns off, stays as it is.
 */
final class StackOverrides {
    private static final Set<String> THIS_MACHINE = Set.of("127.0.0.1", "localhost", "::1", "[::1]");
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    static final String FLINK_PROMETHEUS = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory";

    private StackOverrides() {}

    /**
     * @param miniCluster also the job's own Flink options: the Web UI's port and the reporter that Prometheus scrapes
     * @param log receives one line per service: what was set, or why not
     */
    static List<String> of(Path pipeline, StackPorts ports, boolean miniCluster, Function<String, String> environment,
            List<String> log) throws IOException {
        JsonNode root = new YAMLMapper().readTree(pipeline.toFile());
        if (root == null) {
            root = new YAMLMapper().createObjectNode();
        }
        List<String> overrides = new ArrayList<>();
        JsonNode servers = root.path("mqtt").path("servers");
        List<String> given = new ArrayList<>();
        if (servers.isArray()) {
            servers.forEach(s -> given.add(interpolate(s.asText(), environment)));
        } else if (servers.isTextual()) {
            given.add(interpolate(servers.asText(), environment));
        }
        if (given.isEmpty() || given.stream().allMatch(s -> isThisMachine(s, 1883, "tcp", "mqtt"))) {
            overrides.add("mqtt.servers=[tcp://127.0.0.1:" + ports.mqtt() + "]");
            log.add("mqtt.servers: tcp://127.0.0.1:" + ports.mqtt() + " (the stack's Mosquitto)");
        } else {
            log.add("mqtt.servers: " + given + " as the pipeline says (not the stack's Mosquitto)");
        }
        service(root.path("sinks"), "influxdb", "url", "http://127.0.0.1:8086", 8086, "http://127.0.0.1:" + ports.influx(),
                "the stack's InfluxDB", environment, overrides, log);
        service(root.path("sinks"), "kafka", "bootstrap-servers", "127.0.0.1:9092", 9092, "127.0.0.1:" + ports.kafka(),
                "the stack's Kafka", environment, overrides, log);
        alertmanager(root.path("actions").path("alertmanager").path("url"), ports, environment, overrides, log);
        if (miniCluster) {
            overrides.add("job.flink-config[rest.bind-port]=" + ports.flink());
            overrides.add("job.flink-config[metrics.reporter.prom.factory.class]=" + FLINK_PROMETHEUS);
            overrides.add("job.flink-config[metrics.reporter.prom.port]=" + ports.metrics());
            log.add("Flink's Web UI on 127.0.0.1:" + ports.flink() + ", its Prometheus reporter 'prom' on 127.0.0.1:"
                    + ports.metrics());
        }
        return overrides;
    }

    private static void service(JsonNode sinks, String name, String key, String defaultValue, int defaultPort,
            String stackValue, String what, Function<String, String> environment, List<String> overrides, List<String> log) {
        String path = "sinks." + name + "." + key;
        JsonNode section = sinks.path(name);
        if (sinks.isNull() || section.isNull() || section.path("enabled").asText("true").equals("false")) {
            log.add("sinks." + name + ": off in the pipeline");
            return;
        }
        String value = section.path(key).isMissingNode() || section.path(key).isNull() ? defaultValue
                : interpolate(section.path(key).asText(), environment);
        boolean local = true;
        for (String address : value.split(",")) {
            local &= key.equals("url") ? isThisMachine(address.trim(), defaultPort, "http")
                    : isThisMachine("kafka://" + address.trim(), defaultPort, "kafka");
        }
        if (local) {
            overrides.add(path + "=" + stackValue);
            log.add(path + ": " + stackValue + " (" + what + ")");
        } else {
            log.add(path + ": " + value + " as the pipeline says (not " + what + ")");
        }
    }

    /** The rules' default Alertmanager, when the pipeline names the stack's (this machine, port 9095). */
    private static void alertmanager(JsonNode url, StackPorts ports, Function<String, String> environment,
            List<String> overrides, List<String> log) {
        List<String> given = new ArrayList<>();
        if (url.isArray()) {
            url.forEach(u -> given.add(interpolate(u.asText(), environment)));
        } else if (url.isTextual()) {
            given.add(interpolate(url.asText(), environment));
        }
        if (given.isEmpty()) {
            return;
        }
        if (given.stream().allMatch(u -> isThisMachine(u, 9095, "http"))) {
            overrides.add("actions.alertmanager.url=http://127.0.0.1:" + ports.alertmanager());
            log.add("actions.alertmanager.url: http://127.0.0.1:" + ports.alertmanager() + " (the stack's Alertmanager)");
        } else {
            log.add("actions.alertmanager.url: " + given + " as the pipeline says (not the stack's Alertmanager)");
        }
    }

    /** Whether {@code uri} names this machine with {@code defaultPort} (also when it leaves the port out). */
    static boolean isThisMachine(String uri, int defaultPort, String... schemes) {
        try {
            URI parsed = URI.create(uri);
            return parsed.getScheme() != null && List.of(schemes).contains(parsed.getScheme())
                    && parsed.getHost() != null && THIS_MACHINE.contains(parsed.getHost())
                    && (parsed.getPort() == -1 || parsed.getPort() == defaultPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code ${NAME}} and {@code ${NAME:-default}}, as the job reads them. */
    static String interpolate(String text, Function<String, String> environment) {
        Matcher m = ENV.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                value = m.group(3) != null ? m.group(3) : "";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
