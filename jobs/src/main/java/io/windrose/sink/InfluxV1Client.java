package io.windrose.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** The 1.x write API ({@code /write?db=&rp=&precision=ms}, basic authentication) for InfluxDB 1.x servers. */
final class InfluxV1Client implements LineProtocolClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final URI queryUri;
    private final String authorization;
    private final boolean gzip;

    InfluxV1Client(String url, String database, String retentionPolicy, String username, String password, boolean gzip) {
        String query = "db=" + enc(database) + "&precision=ms"
                + (retentionPolicy == null || retentionPolicy.isEmpty() ? "" : "&rp=" + enc(retentionPolicy));
        this.uri = URI.create(url.replaceAll("/+$", "") + "/write?" + query);
        this.queryUri = URI.create(url.replaceAll("/+$", "") + "/query?db=" + enc(database));
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.gzip = gzip;
    }

    @Override
    public void delete(PointDeletion point) throws InfluxWriteException {
        StringBuilder statement = new StringBuilder("DELETE FROM ").append(identifier(point.measurement()))
                .append(" WHERE time >= ").append(point.timeMs()).append("ms AND time <= ").append(point.timeMs()).append("ms");
        new TreeMap<>(point.tags()).forEach((key, value) -> statement.append(" AND ").append(identifier(key))
                .append(" = '").append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\''));
        send(HttpRequest.newBuilder(queryUri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded"),
                ("q=" + enc(statement.toString())).getBytes(StandardCharsets.UTF_8));
    }

    private static String identifier(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @Override
    public void write(List<String> lines) throws InfluxWriteException {
        byte[] body = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "text/plain; charset=utf-8");
        if (gzip) {
            request.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        send(request, body);
    }

    private void send(HttpRequest.Builder request, byte[] body) throws InfluxWriteException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        URI target = request.build().uri();
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InfluxWriteException(0, "no answer from " + target.getHost() + ":" + target.getPort() + ": " + e, -1,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfluxWriteException(0, "interrupted", -1, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new InfluxWriteException(response.statusCode(), "HTTP " + response.statusCode() + ": " + response.body(),
                    InfluxWriteException.retryAfter(response.headers().firstValue("Retry-After").orElse(null)), null);
        }
        if (response.body() != null && response.body().contains("\"error\"")) { // /query answers 200 with its errors
            throw new InfluxWriteException(400, response.body(), -1, null);
        }
    }

    /**
     * At Deflater's fastest level: on 1,000 window points of 30 fields it took 6.7 µs per point against 25 at the
     * default level, for a body 19 % larger (compressed 2.7:1 instead of 3.2:1).
     */
    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            zip.write(body);
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        return out.toByteArray();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient (Java 17) has nothing to close; its threads end with it
    }
}
