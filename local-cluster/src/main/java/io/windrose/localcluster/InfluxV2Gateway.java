package io.windrose.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts InfluxDB's v2 write endpoint in front of an InfluxDB 1.x server that lacks it (Debian ships 1.6.7).
 *
 * <p>{@code POST /api/v2/write?bucket=db/rp&precision=ns|us|ms|s} is mapped onto 1.x
 * {@code /write?db=db&rp=rp&precision=n|u|ms|s}, exactly as InfluxDB 1.8+ does itself; the body and its
 * Content-Encoding pass through untouched. {@code POST /api/v2/delete?bucket=db/rp} with a JSON body (start, stop,
 * a predicate of {@code key="value"} terms joined by AND, as InfluxDB 2 and Enterprise 1.8+ take it) becomes an
 * InfluxQL {@code DELETE} of that measurement, those tags and that time range. Every other request (queries, ping) is passed through as it is, so
 * the 1.x {@code influx} CLI and InfluxQL clients work against the gateway's port too.
 */
public final class InfluxV2Gateway implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP_HEADERS = Set.of("content-length", "transfer-encoding", "connection",
            "date", "keep-alive", ":status");
    private static final Set<String> FORWARDED_HEADERS = Set.of("content-type", "content-encoding", "accept", "accept-encoding");

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI upstream;

    private InfluxV2Gateway(HttpServer server, ExecutorService executor, URI upstream) {
        this.server = server;
        this.executor = executor;
        this.upstream = upstream;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts the gateway on 127.0.0.1:port in front of the 1.x server at {@code upstream} (e.g. http://127.0.0.1:8087). */
    public static InfluxV2Gateway start(int port, URI upstream) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "influx-v2-gateway");
            thread.setDaemon(true);
            return thread;
        });
        InfluxV2Gateway gateway = new InfluxV2Gateway(server, executor, upstream);
        server.createContext("/", gateway::handle);
        server.setExecutor(executor);
        server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            if (path.equals("/api/v2/delete")) {
                delete(exchange, query);
                return;
            }
            boolean v2Write = path.equals("/api/v2/write");
            String target = v2Write ? "/write?" + toV1WriteQuery(query) : exchange.getRequestURI().getRawPath()
                    + (query == null ? "" : "?" + query);
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(target)).timeout(Duration.ofSeconds(30));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            byte[] body = exchange.getRequestBody().readAllBytes();
            request.method(exchange.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] responseBody = response.body();
            if (v2Write && response.statusCode() >= 400) {
                responseBody = toV2Error(response.statusCode(), new String(responseBody, StandardCharsets.UTF_8));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
            } else {
                response.headers().map().forEach((name, values) -> {
                    if (!HOP_BY_HOP_HEADERS.contains(name.toLowerCase())) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
            }
            response.headers().firstValue("retry-after").ifPresent(v -> exchange.getResponseHeaders().set("Retry-After", v));
            if (response.statusCode() == 204 || responseBody.length == 0) {
                exchange.sendResponseHeaders(response.statusCode(), -1);
            } else {
                exchange.sendResponseHeaders(response.statusCode(), responseBody.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(responseBody);
                }
            }
        } catch (IOException e) {
            exchange.sendResponseHeaders(503, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
        }
    }

    private void delete(HttpExchange exchange, String rawQuery) throws IOException, InterruptedException {
        String db = toV1WriteQuery(rawQuery).replaceFirst("^db=([^&]*).*$", "$1");
        String statement;
        try {
            statement = toInfluxQlDelete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            answerError(exchange, 400, e.getMessage().replace("\\", "\\\\").replace("\"", "\\\""));
            return;
        }
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(upstream.resolve("/query?db=" + db))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + enc(statement))).build(),
                HttpResponse.BodyHandlers.ofString());
        // /query answers 200 with {"results":[{"error":"..."}]} for a statement it refuses
        Matcher refused = Pattern.compile("\"error\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(response.body());
        if (response.statusCode() / 100 != 2) {
            answerError(exchange, response.statusCode(), refused.find() ? refused.group(1) : "");
        } else if (refused.find()) {
            answerError(exchange, 400, refused.group(1));
        } else {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** @param message already escaped for a JSON string */
    private static void answerError(HttpExchange exchange, int status, String message) throws IOException {
        byte[] body = toV2Error(status, "{\"error\":\"" + message + "\"}");
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** {"start":…,"stop":…,"predicate":"_measurement=\"m\" AND k=\"v\""} as an InfluxQL DELETE. */
    static String toInfluxQlDelete(String json) {
        JsonNode request;
        try {
            request = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("expected a JSON body, got " + json);
        }
        String start = request.path("start").isTextual() ? request.path("start").asText() : null;
        String stop = request.path("stop").isTextual() ? request.path("stop").asText() : null;
        String predicate = request.path("predicate").isTextual() ? request.path("predicate").asText() : null;
        Matcher term = Pattern.compile("\\s*([A-Za-z0-9_.-]+)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(?:AND|$)")
                .matcher(predicate == null ? "" : predicate);
        String measurement = null;
        StringBuilder where = new StringBuilder("time >= '").append(start).append("' AND time <= '").append(stop).append('\'');
        int at = 0;
        while (term.lookingAt()) {
            String value = term.group(2).replace("\\\"", "\"").replace("\\\\", "\\");
            if (term.group(1).equals("_measurement")) {
                measurement = value;
            } else {
                where.append(" AND \"").append(term.group(1)).append("\" = '")
                        .append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
            }
            at = term.end();
            term.region(at, term.regionEnd());
        }
        if (measurement == null || at != (predicate == null ? 0 : predicate.length()) || start == null || stop == null) {
            throw new IllegalArgumentException("expected start, stop and a predicate of key=\"value\" terms joined by AND"
                    + " with _measurement, got " + json);
        }
        return "DELETE FROM \"" + measurement.replace("\"", "\\\"") + "\" WHERE " + where;
    }

    static String toV1WriteQuery(String rawQuery) {
        Map<String, String> v2 = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    v2.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        String bucket = v2.getOrDefault("bucket", "");
        int slash = bucket.indexOf('/');
        StringBuilder v1 = new StringBuilder("db=").append(enc(slash < 0 ? bucket : bucket.substring(0, slash)));
        if (slash >= 0 && slash < bucket.length() - 1) {
            v1.append("&rp=").append(enc(bucket.substring(slash + 1)));
        }
        String precision = switch (v2.getOrDefault("precision", "ns")) {
            case "ns" -> "n";
            case "us" -> "u";
            case "ms" -> "ms";
            case "s" -> "s";
            default -> "n";
        };
        return v1.append("&precision=").append(precision).toString();
    }

    private static byte[] toV2Error(int status, String v1Body) {
        // 1.x answers {"error":"..."}; v2 clients expect {"code":"...","message":"..."}
        String message = v1Body.replaceFirst("^\\s*\\{\\s*\"error\"\\s*:\\s*\"(.*)\"\\s*}\\s*$", "$1");
        String code = status == 404 ? "not found" : status >= 500 ? "internal error" : "invalid";
        return ("{\"code\":\"" + code + "\",\"message\":\"" + message.replace("\n", " ") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
