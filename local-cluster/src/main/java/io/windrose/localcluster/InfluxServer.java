package io.windrose.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real InfluxDB 1.x server (Debian's {@code influxd}) on 127.0.0.1, fronted by an {@link InfluxV2Gateway} so that
 * influxdb-client-java's {@code /api/v2/write} reaches the real storage engine.
 */
public final class InfluxServer implements AutoCloseable {

    private final int port;
    private final int influxdPort;
    private final int rpcPort;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ManagedProcess process;
    private InfluxV2Gateway gateway;

    /** @param port the port clients use (the gateway); influxd itself listens on {@code influxdPort}. */
    public InfluxServer(int port, int influxdPort, int rpcPort, Path dir) {
        this.port = port;
        this.influxdPort = influxdPort;
        this.rpcPort = rpcPort;
        this.dir = dir.toAbsolutePath();
    }

    public InfluxServer start() throws IOException {
        Ports.requireFree(port, "InfluxDB");
        Ports.requireFree(influxdPort, "influxd HTTP");
        Ports.requireFree(rpcPort, "influxd RPC");
        Files.createDirectories(dir);
        Path conf = dir.resolve("influxdb.conf");
        String abs = dir.toAbsolutePath().toString();
        Files.write(conf, List.of(
                "reporting-disabled = true",
                "bind-address = \"127.0.0.1:" + rpcPort + "\"",
                "[meta]",
                "  dir = \"" + abs + "/meta\"",
                "[data]",
                "  dir = \"" + abs + "/data\"",
                "  wal-dir = \"" + abs + "/wal\"",
                "  query-log-enabled = false",
                "[monitor]",
                "  store-enabled = false",
                "[http]",
                "  bind-address = \"127.0.0.1:" + influxdPort + "\"",
                "  log-enabled = false",
                "[logging]",
                "  level = \"warn\"",
                "[continuous_queries]",
                "  enabled = false"));
        startInfluxd();
        gateway = InfluxV2Gateway.start(port, URI.create("http://127.0.0.1:" + influxdPort));
        return this;
    }

    private void startInfluxd() throws IOException {
        process = ManagedProcess.start("influxd", List.of(Executables.find("influxd", "/usr/bin/influxd"), "-config",
                dir.resolve("influxdb.conf").toString()), dir,
                dir.resolve("influxd.log"));
        Ports.awaitOpen(influxdPort, Duration.ofSeconds(30), process);
    }

    /** Stops influxd, as an outage would; the v2 gateway stays up and answers 503 meanwhile, as a proxy does. */
    public void stopInfluxd() {
        process.stop(Duration.ofSeconds(10));
    }

    /** Starts influxd again after {@link #stopInfluxd()}, on the same ports and data. */
    public void restartInfluxd() throws IOException {
        Ports.requireFree(influxdPort, "influxd HTTP");
        startInfluxd();
    }

    /** URL of influxd itself, for the 1.x API ({@code /write}, {@code /query}). */
    public String v1Url() {
        return "http://127.0.0.1:" + influxdPort;
    }

    /** URL for influxdb-client-java and InfluxQL clients (the gateway). */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    public void createDatabase(String database) {
        String answer = post("/query", "q=" + enc("CREATE DATABASE \"" + database + "\""));
        if (answer.contains("\"error\"")) {
            throw new IllegalStateException("CREATE DATABASE " + database + " failed: " + answer);
        }
    }

    /** Writes line protocol (millisecond timestamps) straight to influxd; throws with the server's answer on an error. */
    public void write(String database, String lines) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + influxdPort + "/write?db="
                        + enc(database) + "&precision=ms"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(lines))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("write to " + database + " failed: HTTP " + response.statusCode() + " "
                        + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs an InfluxQL query and returns InfluxDB's JSON answer (epoch milliseconds). */
    public String query(String database, String influxql) {
        return post("/query", "db=" + enc(database) + "&epoch=ms&q=" + enc(influxql));
    }

    private String post(String path, String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + influxdPort + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (gateway != null) {
            gateway.close();
        }
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }
}
