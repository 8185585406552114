package io.windrose.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * The local stack's ports, all on 127.0.0.1: the defaults (a default that is taken is replaced by a free port), or
 * {@code BASE}.. with {@code local-cluster/up --ports BASE}, at these offsets:
 * <pre>
 *   +0  MQTT (Mosquitto)                       default 1883
 *   +1  Kafka                                   default 9092
 *   +2  Kafka's controller                      default 9093
 *   +3  InfluxDB (the v2 gateway: clients, CLI) default 8086
 *   +4  influxd's own HTTP                      default 18086
 *   +5  influxd's RPC (backup/restore)          default 18088
 *   +6  Prometheus                              default 9090
 *   +7  Flink's REST API and Web UI             default 8081
 *   +8  Flink's Prometheus reporter             default 9249 (the job's; with --flink-cluster the JobManager's or a
 *   +9, +10                                     9250, 9251   TaskManager's: each process takes the first free one)
 *   +11 Alertmanager                            default 9095 (its own default, 9093, is Kafka's controller's)
 * </pre>
 * Alertmanager's webhook receiver ({@link AlertReceiver}, in the stack's own process) takes a port the system chooses:
 * only Alertmanager calls it.
 */
public record StackPorts(int mqtt, int kafka, int kafkaController, int influx, int influxd, int influxdRpc, int prometheus,
        int flink, List<Integer> reporters, int alertmanager) {
    /** How many ports {@code --ports BASE} takes: BASE to BASE + SPAN - 1. */
    public static final int SPAN = 12;
    private static final String[] NAMES = {"MQTT", "Kafka", "Kafka controller", "InfluxDB", "influxd HTTP",
        "influxd RPC", "Prometheus", "Flink REST API / Web UI", "Flink's Prometheus reporter",
        "Flink's Prometheus reporter (2nd)", "Flink's Prometheus reporter (3rd)", "Alertmanager"};
    private static final int[] DEFAULTS = {1883, 9092, 9093, 8086, 18086, 18088, 9090, 8081, 9249, 9250, 9251, 9095};

    public StackPorts {
        reporters = List.copyOf(reporters);
    }

    public static StackPorts defaults() {
        return of(DEFAULTS);
    }

    /** BASE..BASE+11; fails naming every port of them that is taken. */
    public static StackPorts base(int base, IntPredicate free) {
        if (base < 1024 || base + SPAN - 1 > 65535) {
            throw new IllegalArgumentException("--ports " + base + ": expected a port from 1024 to " + (65535 - SPAN + 1)
                    + " (the stack takes " + SPAN + " ports from it)");
        }
        int[] ports = new int[SPAN];
        List<String> taken = new ArrayList<>();
        for (int i = 0; i < SPAN; i++) {
            ports[i] = base + i;
            if (!free.test(ports[i])) {
                taken.add(ports[i] + " (" + NAMES[i] + ")");
            }
        }
        if (!taken.isEmpty()) {
            throw new IllegalStateException("--ports " + base + ": " + String.join(", ", taken) + " already in use on"
                    + " 127.0.0.1; choose another base (the stack takes " + base + "-" + (base + SPAN - 1) + ")");
        }
        return of(ports);
    }

    /**
     * The defaults, each one that is taken replaced by a free port.
     *
     * @param moved receives "what: default -> chosen" for each replaced port
     */
    public static StackPorts freeDefaults(IntPredicate free, IntSupplier anyFree, List<String> moved) {
        int[] ports = DEFAULTS.clone();
        Set<Integer> chosen = new LinkedHashSet<>();
        for (int i = 0; i < SPAN; i++) {
            if (!free.test(ports[i])) {
                int other;
                do {
                    other = anyFree.getAsInt();
                } while (chosen.contains(other) || contains(DEFAULTS, other));
                moved.add(NAMES[i] + ": " + ports[i] + " is in use, " + other + " instead");
                ports[i] = other;
            }
            chosen.add(ports[i]);
        }
        return of(ports);
    }

    private static StackPorts of(int[] p) {
        return new StackPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], List.of(p[8], p[9], p[10]), p[11]);
    }

    private static boolean contains(int[] ports, int port) {
        for (int p : ports) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ports of an endpoints file (what {@link #endpoints()} wrote): the ones clients use; the internal ones (Kafka's
     * controller, influxd's own) are 0, and so is Alertmanager's in the file of a stack started before it had one.
     */
    public static StackPorts fromEndpoints(Map<String, String> endpoints) {
        Function<String, Integer> port = key -> {
            String value = endpoints.get(key);
            if (value == null) {
                throw new IllegalArgumentException("the endpoints file has no " + key);
            }
            return Integer.parseInt(value.substring(value.lastIndexOf(':') + 1));
        };
        List<Integer> reporters = new ArrayList<>();
        for (String p : endpoints.getOrDefault("METRICS_PORTS", endpoints.getOrDefault("METRICS_PORT", "")).split(",")) {
            reporters.add(Integer.parseInt(p.trim()));
        }
        return new StackPorts(port.apply("MQTT_PORT"), port.apply("KAFKA"), 0, port.apply("INFLUX_PORT"), 0, 0,
                port.apply("PROMETHEUS_URL"), port.apply("FLINK_URL"), reporters,
                endpoints.containsKey("ALERTMANAGER_URL") ? port.apply("ALERTMANAGER_URL") : 0);
    }

    /** Reads an endpoints file: its KEY=value lines. */
    public static Map<String, String> readEndpoints(Path file) throws IOException {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                endpoints.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return endpoints;
    }

    /** The mini-cluster's reporter (the first). */
    public int metrics() {
        return reporters.get(0);
    }

    /** The reporters as Flink's port option takes them: {@code 9249,9250,9251}. */
    public String reporterPortList() {
        return String.join(",", reporters.stream().map(String::valueOf).toList());
    }

    /**
     * The endpoints file {@code local-cluster/run/endpoints}: shell-sourceable {@code KEY=value} lines, read by
     * {@code local-cluster/up} (which prints them), the {@code local-cluster/windrose} launcher and the README's tour.
     */
    public Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("MQTT_PORT", String.valueOf(mqtt));
        e.put("MQTT_URL", "tcp://127.0.0.1:" + mqtt);
        e.put("KAFKA", "127.0.0.1:" + kafka);
        e.put("INFLUX_PORT", String.valueOf(influx));
        e.put("INFLUX_URL", "http://127.0.0.1:" + influx);
        e.put("PROMETHEUS_URL", "http://127.0.0.1:" + prometheus);
        e.put("ALERTMANAGER_URL", "http://127.0.0.1:" + alertmanager);
        e.put("FLINK_URL", "http://127.0.0.1:" + flink);
        e.put("METRICS_PORT", String.valueOf(metrics()));
        e.put("METRICS_PORTS", reporterPortList());
        e.put("WINDROSE_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafka);
        return e;
    }

    /** All of them, for a check that they are all different. */
    List<Integer> all() {
        List<Integer> all = new ArrayList<>(List.of(mqtt, kafka, kafkaController, influx, influxd, influxdRpc, prometheus,
                flink));
        all.addAll(reporters);
        all.add(alertmanager);
        return all;
    }
}
