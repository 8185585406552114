package io.windrose.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The webhook receiver Alertmanager sends its notifications to in the local stack and the tests: an HTTP server on
 * 127.0.0.1 inside this JVM (the JDK's own server; nothing to install, nothing more to start or stop) that takes
 * Alertmanager's webhook POSTs (JSON, {@code "version": "4"}, on any path; {@code /alerts} by convention) and writes
 * one line per alert of each to a log file, appending:
 * <pre>
 * 2025-06-01T10:00:00.123Z firing too-hot sensor=s-1 level=critical {alertname="too-hot", level="critical", sensor="s-1", site="site-a"} summary="..."
 * </pre>
 * status ({@code firing} or {@code resolved}), alertname, the labels {@code sensor} and {@code level} ({@code -} when
 * the alert has none), every label, and the {@code summary} annotation when there is one. The alerts are also kept
 * in memory ({@link #alerts()}) for tests.
 */
public final class AlertReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One alert of one notification (webhook POST); {@code notification} counts the POSTs from 1. */
    public record Alert(int notification, Instant received, String status, Map<String, String> labels,
            Map<String, String> annotations, String startsAt, String endsAt) {
        public String alertname() {
            return labels.getOrDefault("alertname", "-");
        }

        public String sensor() {
            return labels.getOrDefault("sensor", "-");
        }

        public String level() {
            return labels.getOrDefault("level", "-");
        }

        /** The line of the log file. */
        public String line() {
            String all = labels.entrySet().stream().map(e -> e.getKey() + "=" + quote(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
            String summary = annotations.containsKey("summary") ? " summary=" + quote(annotations.get("summary")) : "";
            return received + " " + status + " " + alertname() + " sensor=" + sensor() + " level=" + level() + " " + all
                    + summary;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path log;
    private final List<Alert> alerts = new ArrayList<>();
    private int notifications;

    private AlertReceiver(HttpServer server, ExecutorService executor, Path log) {
        this.server = server;
        this.executor = executor;
        this.log = log;
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: a port the system chooses, see {@link #port()}), appending to {@code log}
     * (created, with its directory, when missing).
     */
    public static AlertReceiver start(int port, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.write(log, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.APPEND); // there for tail -f at once
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        // one thread: the lines are written in the order the notifications came
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "alert-receiver");
            thread.setDaemon(true);
            return thread;
        });
        AlertReceiver receiver = new AlertReceiver(server, executor, log.toAbsolutePath());
        server.createContext("/", receiver::handle);
        server.setExecutor(executor);
        server.start();
        return receiver;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What Alertmanager's {@code webhook_configs} names. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/alerts";
    }

    public Path log() {
        return log;
    }

    /** Every alert received so far, in order (a notification of several alerts gives several). */
    public synchronized List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    /** How many notifications (webhook POSTs) came so far. */
    public synchronized int notifications() {
        return notifications;
    }

    /** The log file's lines. */
    public List<String> lines() {
        try {
            return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 200, "Windrose's alert receiver: Alertmanager POSTs its webhook notifications here;"
                        + " each alert is logged to " + log + "\n");
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            JsonNode notification;
            try {
                notification = JSON.readTree(body);
            } catch (IOException e) {
                respond(exchange, 400, "not an Alertmanager webhook notification: " + e.getMessage() + "\n");
                return;
            }
            try {
                received(notification);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "not an Alertmanager webhook notification: " + e.getMessage() + "\n");
                return;
            }
            respond(exchange, 200, "");
        }
    }

    private synchronized void received(JsonNode notification) throws IOException {
        JsonNode items = notification.path("alerts");
        if (!items.isArray()) {
            throw new IllegalArgumentException("no \"alerts\" array");
        }
        int number = ++notifications;
        Instant now = Instant.now();
        List<String> lines = new ArrayList<>();
        List<Alert> parsed = new ArrayList<>();
        for (JsonNode item : items) {
            Alert alert = new Alert(number, now, item.path("status").asText(notification.path("status").asText("-")),
                    strings(item.path("labels")), strings(item.path("annotations")), item.path("startsAt").asText(""),
                    item.path("endsAt").asText(""));
            parsed.add(alert);
            lines.add(alert.line());
        }
        // logged before it is listed: whoever sees an alert in alerts() finds its line in the log
        Files.write(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        alerts.addAll(parsed);
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "alert receiver on " + url() + " (log " + log + ")";
    }
}
