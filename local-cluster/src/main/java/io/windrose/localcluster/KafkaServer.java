package io.windrose.localcluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller, no ZooKeeper) as a child JVM,
 * from the Maven artifact {@code org.apache.kafka:kafka_2.13}.
 */
public final class KafkaServer implements AutoCloseable {
    private final int port;
    private final int controllerPort;
    private final Path dir;
    private ManagedProcess process;
    private boolean keepForever;

    public KafkaServer(int port, int controllerPort, Path dir) {
        this.port = port;
        this.controllerPort = controllerPort;
        this.dir = dir.toAbsolutePath();
    }

    /**
     * No time-based retention: for tests, whose records carry fixed event times from the past as their Kafka timestamps
     * (a 7-day retention deleted a year-old record while its transaction was still open: a lost alert in a test).
     */
    public KafkaServer keepingRecordsForever() {
        keepForever = true;
        return this;
    }

    public KafkaServer start() throws IOException {
        Ports.requireFree(port, "Kafka");
        Ports.requireFree(controllerPort, "Kafka controller");
        Files.createDirectories(dir);
        Path props = dir.resolve("server.properties");
        Files.write(props, List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "log.dirs=" + dir.resolve("data").toAbsolutePath(),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "min.insync.replicas=1",
                "group.initial.rebalance.delay.ms=0",
                "transaction.max.timeout.ms=3600000",
                "log.retention.ms=" + (keepForever ? -1 : 7L * 24 * 3600 * 1000)));
        Path log4j = dir.resolve("log4j2.properties");
        Files.write(log4j, List.of(
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=WARN",
                "logger.apache.name=org.apache.kafka",
                "logger.apache.level=WARN",
                "logger.ready.name=kafka.server.KafkaRaftServer",
                "logger.ready.level=INFO"));
        Path log = dir.resolve("kafka.log");

        if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
            ManagedProcess format = ManagedProcess.start("kafka-storage-format",
                    java(log4j, "kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId(), "-c", props.toString()),
                    dir, dir.resolve("format.log"));
            format.awaitSuccess(Duration.ofSeconds(120));
        }
        process = ManagedProcess.start("kafka", java(log4j, "kafka.Kafka", props.toString()), dir, log);
        Ports.awaitOpen(port, Duration.ofSeconds(90), process);
        process.awaitLog(l -> l.contains("Kafka Server started") || l.contains("KafkaRaftServer") && l.contains("started"),
                Duration.ofSeconds(90));
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
        }
    }

    private static String clusterId() {
        // Kafka's own generator: a random UUID that, unlike a hand-made base64url one, never starts with '-' (which the
        // storage tool took for an option: one start in 64 failed)
        return Uuid.randomUuid().toString();
    }

    private static List<String> java(Path log4j, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Dlog4j2.configurationFile=" + log4j.toAbsolutePath(),
                "-cp", RuntimeClasspath.get(),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** The classpath of this module's runtime dependencies (Kafka broker included), written by the build. */
    static final class RuntimeClasspath {
        private RuntimeClasspath() {}

        static String get() {
            try (InputStream in = KafkaServer.class.getResourceAsStream("/windrose-runtime.classpath")) {
                if (in == null) {
                    throw new IllegalStateException("windrose-runtime.classpath missing: build local-cluster with Maven first");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
