package io.windrose.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The hand-written script Windrose replaces ({@code ../shared/peers/seed_pipeline.py}, the seed article's approach:
 * paho {@code on_message} → {@code json.loads} → one field's 10 s window → InfluxDB batches), run untouched as a child
 * process on the bench's broker and InfluxDB. {@code $WINDROSE_PEER} names another copy of it.
 */
final class SeedPeer implements AutoCloseable {
    /** What the script reports on its last line: when its last write returned (System.nanoTime's clock) and its CPU. */
    record Result(long received, long windows, long endNanos, double cpuSeconds) {}

    private static final Path DEFAULT = Path.of("..", "shared", "peers", "seed_pipeline.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    /** The script, or null (with the reason on stderr) when it or its Python packages are missing. */
    static Path script() {
        Path script = Path.of(System.getenv().getOrDefault("WINDROSE_PEER", DEFAULT.toString())).toAbsolutePath().normalize();
        if (!Files.isRegularFile(script)) {
            System.err.println("[bench] peer script " + script + " not found: the peer figures are skipped"
                    + " (set WINDROSE_PEER to the seed_pipeline.py to measure against)");
            return null;
        }
        return script;
    }

    /** Starts the script and waits until it has subscribed. */
    SeedPeer(Path script, int mqttPort, int influxPort, int qos, int expected, String database) throws Exception {
        process = new ProcessBuilder(List.of("/usr/bin/python3", script.toString(), "--mqtt-port", String.valueOf(mqttPort),
                "--influx-port", String.valueOf(influxPort), "--qos", String.valueOf(qos), "--expected",
                String.valueOf(expected), "--db", database, "--topic", "sensors/#"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD) // its ALERT lines: the bench counts none of them
                .start();
        Thread stderr = new Thread(this::readStderr, "seed-peer-stderr");
        stderr.setDaemon(true);
        stderr.start();
        ready.get(60, TimeUnit.SECONDS);
    }

    private void readStderr() {
        StringBuilder other = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("#READY")) {
                    ready.complete(line);
                } else if (line.startsWith("#RESULT ")) {
                    JsonNode r = JSON.readTree(line.substring("#RESULT ".length()));
                    result.complete(new Result(r.get("received").asLong(), r.get("windows").asLong(),
                            r.get("end_ns").asLong(), r.get("cpu_s").asDouble()));
                } else {
                    other.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            other.append(e);
        }
        IllegalStateException failed = new IllegalStateException("the peer script ended without a result:\n" + other);
        ready.completeExceptionally(failed);
        result.completeExceptionally(failed);
    }

    /** Waits for the script to stop (after all expected messages, or 5 s without one) and returns what it reported. */
    Result await() throws Exception {
        Result r = result.get(300, TimeUnit.SECONDS);
        process.waitFor(30, TimeUnit.SECONDS);
        return r;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
