package io.windrose.localcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Prometheus Alertmanager (Debian's {@code prometheus-alertmanager}) on 127.0.0.1:{@code port}, alone (no
 * cluster: {@code --cluster.listen-address=} opens no gossip port), routing every alert to one webhook — in the local
 * stack and the tests an {@link AlertReceiver} — each alert in a group of its own, sent a second after it arrives
 * ({@link #config}); its data (silences, the notification log) and its log under {@code dir}.
 */
public final class AlertmanagerServer implements AutoCloseable {
    private final int port;
    private final String webhook;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ManagedProcess process;

    /** @param webhook the URL Alertmanager POSTs its notifications to, e.g. {@link AlertReceiver#url()} */
    public AlertmanagerServer(int port, String webhook, Path dir) {
        this.port = port;
        this.webhook = webhook;
        this.dir = dir.toAbsolutePath();
    }

    /**
     * The local stack's and the tests' configuration: everything to the webhook {@code windrose-log}, resolved alerts
     * too; {@code group_by: ['...']} puts each alert in a group of its own (one notification per alert); a new alert is
     * sent after {@code group_wait} 1 s and a change of its group (resolved) after {@code group_interval} 1 s, so that
     * notifications arrive within seconds (a production config waits longer: deploy/alertmanager/alertmanager.yml).
     */
    public static String config(String webhook) {
        return """
                # written by Windrose's local stack (AlertmanagerServer): every alert to the webhook receiver
                route:
                  receiver: windrose-log
                  group_by: ['...']
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 4h
                receivers:
                  - name: windrose-log
                    webhook_configs:
                      - url: '%s'
                        send_resolved: true
                """.formatted(webhook);
    }

    public AlertmanagerServer start() throws IOException {
        Ports.requireFree(port, "Alertmanager");
        Files.createDirectories(dir);
        Path conf = Files.writeString(dir.resolve("alertmanager.yml"), config(webhook));
        process = ManagedProcess.start("alertmanager", List.of(
                Executables.find("alertmanager", "/usr/bin/prometheus-alertmanager"),
                "--config.file=" + conf,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=warn"), dir, dir.resolve("alertmanager.log"));
        Ports.awaitOpen(port, Duration.ofSeconds(30), process);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).GET()).statusCode() != 200) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("Alertmanager not ready; log " + process.log() + ":\n" + process.tail());
            }
            ManagedProcess.sleep(50);
        }
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String webhook() {
        return webhook;
    }

    public ManagedProcess process() {
        return process;
    }

    /** GET /api/v2/alerts: the alerts Alertmanager holds (active, silenced and inhibited), as JSON text. */
    public String alerts() {
        return body(send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts")).GET()), "GET /api/v2/alerts");
    }

    /** POST /api/v2/alerts with {@code json} (an array of alerts), as Prometheus sends them; fails unless 200. */
    public void postAlerts(String json) {
        body(send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))),
                "POST /api/v2/alerts");
    }

    private static String body(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Alertmanager " + what + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Alertmanager on " + url() + " failed: " + e, e);
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
        return "Alertmanager on " + url();
    }
}
