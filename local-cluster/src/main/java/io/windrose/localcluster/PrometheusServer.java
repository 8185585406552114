package io.windrose.localcluster;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on 127.0.0.1, scraping Flink's Prometheus reporter(s) at the
 * given targets every {@code scrapeInterval} (scrape job {@code flink}) and evaluating rules as often; its data under
 * {@code dir}. Optionally ({@link #withAlerting}) it loads alerting rule files and sends their alerts to an Alertmanager.
 */
public final class PrometheusServer implements AutoCloseable {

    private final int port;
    private final List<String> targets;
    private final Duration scrapeInterval;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ManagedProcess process;
    private String alertmanager;
    private List<String> ruleFiles = List.of();

    /** @param targets host:port of each Flink reporter (one per JobManager / TaskManager process) */
    public PrometheusServer(int port, List<String> targets, Duration scrapeInterval, Path dir) {
        this.port = port;
        this.targets = List.copyOf(targets);
        this.scrapeInterval = scrapeInterval;
        this.dir = dir.toAbsolutePath();
    }

    /**
     * Loads the rule files ({@code rule_files}: paths or globs such as {@code deploy/prometheus/*.yml}, relative ones
     * from the working directory) and sends the alerts to the Alertmanager at {@code alertmanager} (host:port); before
     * {@link #start}.
     */
    public PrometheusServer withAlerting(String alertmanager, List<String> ruleFiles) {
        this.alertmanager = alertmanager;
        this.ruleFiles = ruleFiles.stream().map(file -> Path.of(file).toAbsolutePath().toString()).toList();
        return this;
    }

    public PrometheusServer start() throws IOException {
        Ports.requireFree(port, "Prometheus");
        Files.createDirectories(dir);
        Path conf = dir.resolve("prometheus.yml");
        List<String> lines = new ArrayList<>(List.of(
                "global:",
                "  scrape_interval: " + scrapeInterval.toMillis() + "ms",
                "  evaluation_interval: " + scrapeInterval.toMillis() + "ms",
                "scrape_configs:",
                "  - job_name: flink",
                "    static_configs:",
                "      - targets:"));
        targets.forEach(target -> lines.add("          - '" + target + "'"));
        if (alertmanager != null) {
            lines.addAll(List.of(
                    "alerting:",
                    "  alertmanagers:",
                    "    - static_configs:",
                    "        - targets: ['" + alertmanager + "']"));
        }
        if (!ruleFiles.isEmpty()) {
            lines.add("rule_files:");
            ruleFiles.forEach(file -> lines.add("  - '" + file + "'"));
        }
        Files.write(conf, lines);
        process = ManagedProcess.start("prometheus", List.of(Executables.find("prometheus", "/usr/bin/prometheus"),
                "--config.file=" + conf,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), dir, dir.resolve("prometheus.log"));
        Ports.awaitOpen(port, Duration.ofSeconds(30), process);
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** GET {@code path} with {@code query} (name=value pairs, values URL-encoded here); the JSON answer as text. */
    public String get(String path, String... query) {
        StringBuilder uri = new StringBuilder(url()).append(path);
        for (int i = 0; i + 1 < query.length; i += 2) {
            uri.append(i == 0 ? '?' : '&').append(query[i]).append('=')
                    .append(URLEncoder.encode(query[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("Prometheus " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }

    @Override
    public String toString() {
        return "Prometheus on " + url();
    }
}
