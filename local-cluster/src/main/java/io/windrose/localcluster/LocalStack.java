package io.windrose.localcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * The whole local stack in one process tree: Mosquitto, Kafka (KRaft), InfluxDB (+ v2 gateway), the Windrose job in a
 * mini-cluster ({@code java -jar windrose-job.jar}) and, unless {@code --no-simulator}, a sensor simulator.
 * Started by {@code local-cluster/up}; SIGTERM (from {@code local-cluster/down}) stops everything it started, the job
 * first and with a savepoint. The job keeps its state in {@code <dir>/state/<job name>} and resumes from it.
 */
public final class LocalStack {
    /** The job stops with a savepoint (job.stop-timeout, 1 minute by default): give it that and some. */
    private static final Duration JOB_STOP_GRACE = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path pidFile;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("local-cluster/run");
        Path jobJar = Path.of("jobs/target/windrose-job.jar");
        Path config = Path.of("local-cluster/pipeline.yaml");
        boolean simulator = true;
        boolean fresh = false;
        int mqttPort = 1883, kafkaPort = 9092, influxPort = 8086;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--job-jar" -> jobJar = Path.of(args[++i]);
                case "--config" -> config = Path.of(args[++i]);
                case "--no-simulator" -> simulator = false;
                case "--fresh" -> fresh = true;
                case "--mqtt-port" -> mqttPort = Integer.parseInt(args[++i]);
                case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
                case "--influx-port" -> influxPort = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "local-stack-shutdown"));
        try {
            stack.start(dir, jobJar, config, simulator, fresh, mqttPort, kafkaPort, influxPort);
        } catch (Exception e) {
            System.out.println("FAILED: " + e.getMessage());
            System.out.flush();
            stack.stopAll();
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    private void start(Path dir, Path jobJar, Path config, boolean simulator, boolean fresh, int mqttPort, int kafkaPort,
            int influxPort) throws IOException {
        if (!Files.exists(jobJar)) {
            throw new IllegalStateException("job jar " + jobJar + " not found: build with mvn package first");
        }
        Files.createDirectories(dir);
        pidFile = dir.resolve("pids");
        Files.deleteIfExists(pidFile);
        log("starting Mosquitto on 127.0.0.1:" + mqttPort);
        MosquittoServer mosquitto = track(new MosquittoServer(mqttPort, dir.resolve("mosquitto")).start());
        log("starting Kafka (KRaft) on 127.0.0.1:" + kafkaPort);
        KafkaServer kafka = track(new KafkaServer(kafkaPort, kafkaPort + 1, dir.resolve("kafka")).start());
        log("starting InfluxDB on 127.0.0.1:" + influxPort + " (influxd on " + (influxPort + 10000) + ")");
        InfluxServer influx = track(new InfluxServer(influxPort, influxPort + 10000, influxPort + 10002, dir.resolve("influxdb")).start());
        influx.createDatabase("telemetry");

        Path state = dir.resolve("state").toAbsolutePath();
        log("starting the Windrose job (mini-cluster) with " + config + ", state in " + state
                + (fresh ? " (--fresh: the job's saved state is dropped)" : ""));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jobJar.toAbsolutePath().toString(), "--config", config.toAbsolutePath().toString()));
        if (fresh) {
            command.add("--fresh");
        }
        // the job's default state directory is $WINDROSE_STATE_ROOT/<job name> (unless the pipeline sets job.state-dir)
        ManagedProcess job = ManagedProcess.start("windrose-job", command, Path.of("."), dir.resolve("job.log"),
                Map.of("WINDROSE_STATE_ROOT", state.toString()));
        track(() -> {
            log("stopping the Windrose job with a savepoint (log: " + job.log() + ")");
            job.stop(JOB_STOP_GRACE);
            log("the Windrose job stopped");
        });
        for (ManagedProcess process : List.of(mosquitto.process(), kafka.process(), influx.process(), job)) {
            Files.writeString(pidFile, process.name() + " " + process.pid() + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        log("waiting for the job to subscribe (log: " + dir.resolve("job.log") + ")");
        awaitSubscription(mosquitto, job);

        if (simulator) {
            log("starting the simulator: 10 sensors, 10 readings/s in all, on sensors/<site>/<sensor>, and 1 message/s"
                    + " from example devices (zigbee2mqtt/, tele/, shellies/, plant/)");
            Simulator sim = new Simulator("127.0.0.1", mqttPort, 10, 10, new DevicePayloads(DevicePayloads.GATEWAY_SCHEMA));
            Thread thread = new Thread(sim, "simulator");
            thread.setDaemon(true);
            thread.start();
            track(sim);
        }
        log("READY (job pid " + job.pid() + ")");
    }

    /** Any subscription by a client of the job ({@code <prefix>-<subtask>}) means the job is running. */
    private static void awaitSubscription(MosquittoServer mosquitto, ManagedProcess job) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (mosquitto.process().logLines().stream().anyMatch(l -> l.matches("\\d+: \\S+-\\d+ [012] .*")
                    && !l.contains("windrose-simulator"))) {
                return;
            }
            if (!job.isAlive()) {
                throw new IllegalStateException("the job exited; its log " + job.log() + ":\n" + job.tail());
            }
            ManagedProcess.sleep(200);
        }
        throw new IllegalStateException("the job did not subscribe within 3 minutes; its log " + job.log() + ":\n" + job.tail());
    }

    private <T extends AutoCloseable> T track(T service) {
        started.push(service);
        return service;
    }

    private synchronized void stopAll() {
        while (!started.isEmpty()) {
            AutoCloseable service = started.pop();
            try {
                service.close();
            } catch (Exception e) {
                log("stopping " + service + " failed: " + e);
            }
        }
    }

    private static void log(String message) {
        System.out.println(message);
        System.out.flush();
    }
}
