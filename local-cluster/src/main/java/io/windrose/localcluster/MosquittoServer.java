package io.windrose.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Mosquitto broker (Debian's {@code mosquitto}) on 127.0.0.1 with its own config.
 *
 * <p>Its settings let a checkpoint-acking client hold many un-acked messages without the broker dropping any:
 * {@code max_inflight_messages 0} (server Receive Maximum 65535) and {@code max_queued_messages 100000}.
 */
public final class MosquittoServer implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final List<String> extraSettings;
    private ManagedProcess process;

    public MosquittoServer(int port, Path dir) {
        this(port, dir, List.of());
    }

    /** @param extraSettings mosquitto.conf lines added after the defaults (later lines win) */
    public MosquittoServer(int port, Path dir, List<String> extraSettings) {
        this.port = port;
        this.dir = dir.toAbsolutePath();
        this.extraSettings = List.copyOf(extraSettings);
    }

    public MosquittoServer start() throws IOException {
        Ports.requireFree(port, "MQTT");
        Files.createDirectories(dir);
        Path conf = dir.resolve("mosquitto.conf");
        List<String> settings = new java.util.ArrayList<>();
        // per_listener_settings must come before any listener
        extraSettings.stream().filter(line -> line.startsWith("per_listener_settings")).forEach(settings::add);
        settings.addAll(List.of(
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                // started as root, mosquitto would switch to user 'mosquitto', who cannot write our directory
                "user " + System.getProperty("user.name"),
                "max_inflight_messages 0",
                "max_queued_messages 100000",
                "persistence true",
                "persistence_location " + dir.toAbsolutePath() + "/",
                "log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log"),
                "log_type error",
                "log_type warning",
                "log_type notice",
                "log_type information",
                "log_type subscribe",
                "log_timestamp true"));
        extraSettings.stream().filter(line -> !line.startsWith("per_listener_settings")).forEach(settings::add);
        Files.write(conf, settings);
        // mosquitto writes its log file itself (its stdout is block-buffered when redirected); stdout catches start-up errors
        process = ManagedProcess.start("mosquitto", List.of(Executables.find("mosquitto", "/usr/sbin/mosquitto"), "-c",
                conf.toString()), dir,
                dir.resolve("mosquitto.out"), dir.resolve("mosquitto.log"));
        Ports.awaitOpen(port, Duration.ofSeconds(20), process);
        return this;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public ManagedProcess process() {
        return process;
    }

    /** Waits until the client whose id starts with {@code clientIdPrefix} has subscribed to {@code topicFilter}. */
    public void awaitSubscription(String clientIdPrefix, String topicFilter, Duration timeout) {
        // Mosquitto logs a subscription as "<time>: <client id> <qos> <topic filter>"
        process.awaitLog(line -> line.contains(": " + clientIdPrefix) && line.endsWith(" " + topicFilter), timeout);
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(10));
        }
    }
}
