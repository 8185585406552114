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
 * The whole local stack in one process tree: Mosquitto, Kafka (KRaft), InfluxDB (+ v2 gateway), Alertmanager (its
 * notifications to an {@link AlertReceiver} in this process, logged to {@code <dir>/alertmanager/notifications.log}),
 * Prometheus (scraping Flink's Prometheus reporter, evaluating the health rules {@code deploy/prometheus/*.yml} and
 * sending their alerts to that Alertmanager), the Windrose job in a mini-cluster ({@code java -jar windrose-job.jar}, with its Web UI
 * and reporter) and, unless {@code --no-simulator}, a sensor simulator. Everything listens on 127.0.0.1, on the ports
 * of {@link StackPorts}: the defaults (a taken one is replaced by a free port) or {@code --ports BASE}; they are written
 * to {@code <dir>/endpoints} before anything starts, and the job is pointed at them with {@code --set} overrides
 * ({@link StackOverrides}).
 * Started by {@code local-cluster/up}; SIGTERM (from {@code local-cluster/down}) stops everything it started, the job
 * first and with a savepoint. The job keeps its state in {@code <dir>/state/<job name>} and resumes from it.
 */
public final class LocalStack {
    /** The job stops with a savepoint (job.stop-timeout, 1 minute by default): give it that and some. */
    private static final Duration JOB_STOP_GRACE = Duration.ofSeconds(90);
    /** Windrose's Prometheus reporter bound to one address (Flink's listens on every interface): see jobs/prometheus-reporter. */
    private static final String BOUND_PROMETHEUS = "io.windrose.metrics.BoundPrometheusReporterFactory";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Path pidFile;
    private volatile boolean stopping;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("local-cluster/run");
        Path jobJar = Path.of("jobs/target/windrose-job.jar");
        Path config = Path.of("local-cluster/pipeline.yaml");
        boolean simulator = true;
        boolean sparkplug = true;
        boolean fresh = false;
        boolean flinkCluster = false;
        Path clusterJar = Path.of("jobs/target/windrose-job-cluster.jar");
        Path flinkClasspath = Path.of("local-cluster/flink/target/flink.classpath");
        String rules = "deploy/prometheus/*.yml";
        Integer base = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--job-jar" -> jobJar = Path.of(args[++i]);
                case "--config" -> config = Path.of(args[++i]);
                case "--no-simulator" -> simulator = false;
                case "--no-sparkplug" -> sparkplug = false;
                case "--fresh" -> fresh = true;
                case "--flink-cluster" -> flinkCluster = true;
                case "--cluster-jar" -> clusterJar = Path.of(args[++i]);
                case "--flink-classpath" -> flinkClasspath = Path.of(args[++i]);
                case "--ports" -> base = Integer.parseInt(args[++i]);
                case "--rules" -> rules = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        LocalStack stack = new LocalStack();
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "local-stack-shutdown"));
        try {
            StackPorts ports;
            if (base != null) {
                ports = StackPorts.base(base, Ports::canBind);
            } else {
                List<String> moved = new ArrayList<>();
                ports = StackPorts.freeDefaults(Ports::canBind, Ports::free, moved);
                moved.forEach(line -> log("port " + line));
            }
            stack.start(dir, flinkCluster ? clusterJar : jobJar, config, simulator, sparkplug, fresh, ports,
                    flinkCluster ? flinkClasspath : null, rules);
        } catch (Exception e) {
            System.out.println("FAILED: " + e.getMessage());
            System.out.flush();
            stack.stopAll();
            System.exit(1);
        }
        Thread.currentThread().join();
    }

    /**
     * @param flinkClasspath with a Flink session cluster (its class path), or null for the job's own mini-cluster
     * @param rules Prometheus's {@code rule_files} (a glob)
     */
    private void start(Path dir, Path jobJar, Path config, boolean simulator, boolean sparkplug, boolean fresh,
            StackPorts ports,
            Path flinkClasspath, String rules) throws IOException {
        if (!Files.exists(jobJar)) {
            throw new IllegalStateException("job jar " + jobJar + " not found: build with mvn package first");
        }
        Files.createDirectories(dir);
        pidFile = dir.resolve("pids");
        Files.deleteIfExists(pidFile);
        writeEndpoints(dir, ports);
        List<String> decisions = new ArrayList<>();
        List<String> overrides = StackOverrides.of(config, ports, flinkClasspath == null, System::getenv, decisions);
        int mqttPort = ports.mqtt();
        log("starting Mosquitto on 127.0.0.1:" + mqttPort);
        MosquittoServer mosquitto = track(new MosquittoServer(mqttPort, dir.resolve("mosquitto")).start());
        log("starting Kafka (KRaft) on 127.0.0.1:" + ports.kafka() + " (controller " + ports.kafkaController() + ")");
        KafkaServer kafka = track(new KafkaServer(ports.kafka(), ports.kafkaController(), dir.resolve("kafka")).start());
        log("starting InfluxDB on 127.0.0.1:" + ports.influx() + " (influxd on " + ports.influxd() + ")");
        InfluxServer influx = track(new InfluxServer(ports.influx(), ports.influxd(), ports.influxdRpc(),
                dir.resolve("influxdb")).start());
        influx.createDatabase("telemetry");
        List<String> reporters = ports.reporters().stream().map(port -> "127.0.0.1:" + port).toList();
        if (flinkClasspath == null) {
            reporters = reporters.subList(0, 1); // the mini-cluster is one process: one reporter
        }
        Path alertDir = dir.resolve("alertmanager");
        AlertReceiver receiver = track(AlertReceiver.start(0, alertDir.resolve("notifications.log")));
        log("starting Alertmanager on 127.0.0.1:" + ports.alertmanager() + ", notifying " + receiver.url()
                + " (this process), which logs each alert to " + receiver.log());
        AlertmanagerServer alertmanager = track(new AlertmanagerServer(ports.alertmanager(), receiver.url(), alertDir)
                .start());
        log("starting Prometheus on 127.0.0.1:" + ports.prometheus() + ", scraping Flink's reporter on " + reporters
                + " every 5 s, rules " + rules + ", alerts to Alertmanager");
        PrometheusServer prometheus = track(new PrometheusServer(ports.prometheus(), reporters, Duration.ofSeconds(5),
                dir.resolve("prometheus")).withAlerting("127.0.0.1:" + ports.alertmanager(), List.of(rules)).start());

        List<ManagedProcess> processes = new ArrayList<>(List.of(mosquitto.process(), kafka.process(), influx.process(),
                alertmanager.process(), prometheus.process()));
        ManagedProcess job = null;
        String ready;
        if (flinkClasspath != null) {
            ready = startOnSessionCluster(dir, jobJar, config, fresh, flinkClasspath, ports, overrides, decisions,
                    processes);
        } else {
            Path state = dir.resolve("state").toAbsolutePath();
            log("starting the Windrose job (mini-cluster) with " + config + ", state in " + state
                    + (fresh ? " (--fresh: the job's saved state is dropped)" : ""));
            decisions.forEach(line -> log("  " + line));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", jobJar.toAbsolutePath().toString(), "--config", config.toAbsolutePath().toString()));
            overrides.forEach(override -> command.addAll(List.of("--set", override)));
            if (fresh) {
                command.add("--fresh");
            }
            // the job's default state directory is $WINDROSE_STATE_ROOT/<job name> (unless the pipeline sets job.state-dir)
            ManagedProcess standalone = ManagedProcess.start("windrose-job", command, Path.of("."), dir.resolve("job.log"),
                    Map.of("WINDROSE_STATE_ROOT", state.toString()));
            track(() -> {
                if (!standalone.isAlive()) {
                    log("the Windrose job was not running (exit code " + standalone.awaitExit(Duration.ZERO)
                            + "): the next up resumes it from its last checkpoint");
                    return;
                }
                log("stopping the Windrose job with a savepoint (log: " + standalone.log() + ")");
                standalone.stop(JOB_STOP_GRACE);
                log("the Windrose job stopped");
            });
            // a kill -9 or a crash of the job leaves the services running: say so, and how to get the job back
            standalone.onExit(code -> {
                if (!stopping) {
                    log("the Windrose job (pid " + standalone.pid() + ") exited with " + code + "; log "
                            + standalone.log() + ". local-cluster/down, then local-cluster/up: it resumes from its last"
                            + " checkpoint");
                }
            });
            processes.add(standalone);
            job = standalone;
            ready = "job pid " + standalone.pid();
        }
        writePids(processes);
        log("waiting for the job to subscribe (log: " + (job != null ? job.log() : dir.resolve("flink")) + ")");
        awaitSubscription(mosquitto, job);

        if (simulator) {
            log("starting the simulator: 12 sensors, one reading/s each, on sensors/<site>/<sensor> (s-10 pauses,"
                    + " s-11 is quiet and steps away, s-12 freezes, now and then), and 1 message/s from example devices"
                    + " (zigbee2mqtt/, tele/, shellies/, plant/)" + (sparkplug ? "; a Sparkplug B edge node on spBv1.0/plant-1/"
                    + "…/edge-1 with devices press-1 and oven-1 (data every 2 s, oven-1 dies at 2:30 of every five minutes"
                    + " and is born again 20 s later; rebirth on NCMD, oven-1's Fan by DCMD)" : ""));
            Simulator sim = new Simulator("127.0.0.1", mqttPort, 12, 12, new DevicePayloads(DevicePayloads.GATEWAY_SCHEMA),
                    sparkplug);
            Thread thread = new Thread(sim, "simulator");
            thread.setDaemon(true);
            thread.start();
            track(sim);
        }
        log("READY (" + ready + ")");
    }

    /**
     * A Flink session cluster (JobManager with Web UI on the stack's Flink port, two TaskManagers restarted when they
     * die), the cluster jar uploaded and run through the REST API — from the savepoint of the last {@code down} unless
     * {@code fresh} — with the overrides that point it at the stack's services.
     */
    private String startOnSessionCluster(Path dir, Path clusterJar, Path config, boolean fresh, Path flinkClasspath,
            StackPorts ports, List<String> overrides, List<String> decisions, List<ManagedProcess> processes)
            throws IOException {
        List<ManagedProcess> services = List.copyOf(processes);
        Path flinkDir = dir.resolve("flink");
        log("starting a Flink session cluster: a JobManager (Web UI http://127.0.0.1:" + ports.flink() + ") and two"
                + " TaskManagers (logs: " + flinkDir + ")");
        // each process (JobManager, TaskManagers) takes the first free port of the list for its Prometheus reporter,
        // Windrose's bound to 127.0.0.1 (Flink's own would listen on every interface)
        FlinkSessionCluster cluster = track(new FlinkSessionCluster(flinkDir, ports.flink(), 2, flinkClasspath, Map.of(
                "metrics.reporter.prom.factory.class", BOUND_PROMETHEUS,
                "metrics.reporter.prom.host", "127.0.0.1",
                "metrics.reporter.prom.port", ports.reporterPortList())).start());
        processes.add(cluster.jobManager());
        for (int n = 1; n <= cluster.taskManagers(); n++) {
            processes.add(cluster.taskManager(n));
        }
        FlinkRest rest = cluster.rest();
        Path lastSavepoint = flinkDir.resolve("last-savepoint");
        String savepoint = !fresh && Files.exists(lastSavepoint) ? Files.readString(lastSavepoint).trim() : null;
        log("uploading " + clusterJar + " and running it through the REST API with " + config
                + (savepoint == null ? "" : ", from savepoint " + savepoint));
        decisions.forEach(line -> log("  " + line));
        String jarId = rest.upload(clusterJar);
        List<String> programArgs = new ArrayList<>(List.of("--config", config.toAbsolutePath().toString()));
        overrides.forEach(override -> programArgs.addAll(List.of("--set", override)));
        String jobId = rest.run(jarId, FlinkUpgrade.ENTRY_CLASS, programArgs, 0, savepoint, false);
        // what local-cluster/upgrade stops, and runs again if the upgraded job cannot start
        Files.writeString(flinkDir.resolve("job-id"), jobId + "\n");
        Files.writeString(flinkDir.resolve("jar-id"), jarId + "\n");
        Files.write(flinkDir.resolve("job-args"), programArgs);
        Files.writeString(flinkDir.resolve("rest-url"), cluster.webUi() + "\n");
        // stopped before the cluster: with a savepoint that the next up resumes from
        track(() -> {
            String current = Files.readString(flinkDir.resolve("job-id")).trim(); // local-cluster/upgrade replaces it
            log("stopping job " + current + " with a savepoint");
            Files.writeString(lastSavepoint, rest.stopWithSavepoint(current, cluster.savepoints().toUri().toString(),
                    JOB_STOP_GRACE) + "\n");
            log("job " + current + " stopped with savepoint " + Files.readString(lastSavepoint).trim());
        });
        Thread watchdog = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (int n = 1; n <= cluster.taskManagers(); n++) {
                    try {
                        if (cluster.restartIfDead(n)) {
                            log("taskmanager-" + n + " died; started it again (pid " + cluster.taskManager(n).pid() + ")");
                            List<ManagedProcess> now = new ArrayList<>(services);
                            now.add(cluster.jobManager());
                            for (int m = 1; m <= cluster.taskManagers(); m++) {
                                now.add(cluster.taskManager(m));
                            }
                            writePids(now);
                        }
                    } catch (IOException e) {
                        log("restarting taskmanager-" + n + " failed: " + e.getMessage());
                    }
                }
                ManagedProcess.sleep(2_000);
            }
        }, "taskmanager-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return "Flink session cluster, job " + jobId + ", Web UI " + cluster.webUi() + "/#/job/running/" + jobId;
    }

    /** {@code <dir>/endpoints}: the stack's addresses as shell-sourceable KEY=value lines (see {@link StackPorts}). */
    private static void writeEndpoints(Path dir, StackPorts ports) throws IOException {
        List<String> lines = new ArrayList<>(List.of("# the local stack's endpoints, written by local-cluster/up;"
                + " '. local-cluster/run/endpoints' sets them in a shell"));
        ports.endpoints().forEach((key, value) -> lines.add(key + "=" + value));
        Path tmp = dir.resolve("endpoints.tmp");
        Files.write(tmp, lines);
        Files.move(tmp, dir.resolve("endpoints"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void writePids(List<ManagedProcess> processes) throws IOException {
        StringBuilder pids = new StringBuilder();
        for (ManagedProcess process : processes) {
            pids.append(process.name()).append(' ').append(process.pid()).append('\n');
        }
        Files.writeString(pidFile, pids.toString());
    }

    /** Any subscription by a client of the job ({@code <prefix>-<subtask>}) means the job is running. */
    private static void awaitSubscription(MosquittoServer mosquitto, ManagedProcess job) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (mosquitto.process().logLines().stream().anyMatch(l -> l.matches("\\d+: \\S+-\\d+ [012] .*")
                    && !l.contains("windrose-simulator"))) {
                return;
            }
            if (job != null && !job.isAlive()) {
                throw new IllegalStateException("the job exited; its log " + job.log() + ":\n" + job.tail());
            }
            ManagedProcess.sleep(200);
        }
        throw new IllegalStateException("the job did not subscribe within 3 minutes" + (job == null ? ""
                : "; its log " + job.log() + ":\n" + job.tail()));
    }

    private <T extends AutoCloseable> T track(T service) {
        started.push(service);
        return service;
    }

    private synchronized void stopAll() {
        stopping = true;
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
