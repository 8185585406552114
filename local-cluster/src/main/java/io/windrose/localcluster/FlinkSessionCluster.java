package io.windrose.localcluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Flink 2.2 standalone session cluster from Maven artifacts (flink-dist, the tarball with bin/, is not served
 * there): one JobManager JVM ({@code StandaloneSessionClusterEntrypoint}, REST and Web UI on {@code restPort}) and
 * {@code taskManagers} TaskManager JVMs ({@code TaskManagerRunner}), each started as Flink's scripts start them — the
 * memory flags from {@code BashJavaUtils}, Flink's {@code --add-opens} — on the class path of a Flink distribution
 * ({@code local-cluster/flink/target/flink.classpath}). Each TaskManager's command line carries
 * {@code -Dwindrose.process=taskmanager-<n>}. Checkpoints and savepoints go to {@code <dir>/checkpoints} and
 * {@code <dir>/savepoints}.
 */
public final class FlinkSessionCluster implements AutoCloseable {
    private final Path dir;
    private final int restPort;
    private final int taskManagers;
    private final String classpath;
    private final Map<String, String> settings;
    private ManagedProcess jobManager;
    private final List<ManagedProcess> taskManagerProcesses = new ArrayList<>();
    private volatile boolean closing;

    /**
     * @param classpathFile the class path of a Flink process, one line with ':' between entries
     * @param settings further config.yaml entries (e.g. metrics reporters)
     */
    public FlinkSessionCluster(Path dir, int restPort, int taskManagers, Path classpathFile, Map<String, String> settings)
            throws IOException {
        this.dir = dir.toAbsolutePath();
        this.restPort = restPort;
        this.taskManagers = taskManagers;
        this.classpath = Files.readString(classpathFile).trim();
        this.settings = Map.copyOf(settings);
    }

    public FlinkSessionCluster start() throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(tmpDir());
        Ports.requireFree(restPort, "the Flink REST API / Web UI");
        writeConfig();
        jobManager = startJobManager();
        for (int i = 1; i <= taskManagers; i++) {
            taskManagerProcesses.add(startTaskManager(i));
        }
        FlinkRest rest = rest();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (rest.taskManagers() < taskManagers) {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the Flink JobManager exited; its log " + jobManager.log() + ":\n"
                        + jobManager.tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flink TaskManagers not registered after 2 minutes; see " + dir);
            }
            ManagedProcess.sleep(500);
        }
        return this;
    }

    public FlinkRest rest() {
        return new FlinkRest("http://127.0.0.1:" + restPort);
    }

    public String webUi() {
        return "http://127.0.0.1:" + restPort;
    }

    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** The processes' temporary and working directories ({@code io.tmp.dirs}): one per process, e.g. {@code tm_...}. */
    public Path tmpDir() {
        return dir.resolve("tmp");
    }

    public Path savepoints() {
        return dir.resolve("savepoints");
    }

    public ManagedProcess jobManager() {
        return jobManager;
    }

    /** TaskManager {@code n} (1-based). */
    public ManagedProcess taskManager(int n) {
        return taskManagerProcesses.get(n - 1);
    }

    /** Starts TaskManager {@code n} again if it died (what Kubernetes does for a crashed pod); returns whether it did. */
    public synchronized boolean restartIfDead(int n) throws IOException {
        if (closing || taskManagerProcesses.get(n - 1).isAlive()) {
            return false;
        }
        taskManagerProcesses.set(n - 1, startTaskManager(n));
        return true;
    }

    public int taskManagers() {
        return taskManagers;
    }

    private void writeConfig() throws IOException {
        StringBuilder yaml = new StringBuilder();
        Map<String, String> base = new java.util.LinkedHashMap<>();
        base.put("jobmanager.rpc.address", "127.0.0.1");
        base.put("jobmanager.rpc.port", String.valueOf(Ports.free()));
        base.put("jobmanager.bind-host", "127.0.0.1");
        base.put("jobmanager.memory.process.size", "1024m");
        base.put("taskmanager.bind-host", "127.0.0.1");
        base.put("taskmanager.host", "127.0.0.1");
        base.put("taskmanager.numberOfTaskSlots", "2");
        base.put("taskmanager.memory.process.size", "1280m");
        // spread a job's slots over the TaskManagers instead of filling one first
        base.put("taskmanager.load-balance.mode", "slots");
        // NOTE: jar upload and run through REST stay on (Flink's default web.submit.enable: true): local-cluster/up and
        // local-cluster/upgrade upload the job's jar that way. So the REST API / Web UI listen on 127.0.0.1 only, as the
        // JobManager's and TaskManagers' RPC, blob and data ports do (bind-host above): only this machine can submit.
        base.put("rest.address", "127.0.0.1");
        base.put("rest.bind-address", "127.0.0.1");
        base.put("rest.port", String.valueOf(restPort));
        base.put("web.upload.dir", dir.resolve("uploads").toString());
        // the processes' working directories (blobs, local state: 160 MB per TaskManager after the ITCase) under the
        // cluster's directory instead of /tmp, where a killed TaskManager would leave them behind
        base.put("io.tmp.dirs", tmpDir().toString());
        base.put("execution.checkpointing.dir", checkpoints().toUri().toString());
        base.put("execution.checkpointing.savepoint-dir", savepoints().toUri().toString());
        base.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        // a lost TaskManager is noticed within 10 s instead of Flink's default 50 s
        base.put("heartbeat.timeout", "10000");
        base.put("heartbeat.interval", "2000");
        base.put("restart-strategy.type", "exponential-delay");
        base.put("restart-strategy.exponential-delay.initial-backoff", "1s");
        base.put("restart-strategy.exponential-delay.max-backoff", "10s");
        base.putAll(settings);
        base.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(dir.resolve("conf/config.yaml"), yaml.toString());
        Files.writeString(dir.resolve("conf/log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5p %-40c{1.} %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """);
    }

    private ManagedProcess startJobManager() throws IOException {
        List<String> params = resourceParams("GET_JM_RESOURCE_PARAMS");
        List<String> command = java(params.get(0), "jobmanager");
        command.addAll(List.of("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "--configDir",
                dir.resolve("conf").toString()));
        command.addAll(dynamicProperties(params.get(params.size() - 1)));
        return ManagedProcess.start("jobmanager", command, dir, dir.resolve("jobmanager.out"), dir.resolve("jobmanager.log"));
    }

    private ManagedProcess startTaskManager(int n) throws IOException {
        List<String> params = resourceParams("GET_TM_RESOURCE_PARAMS");
        String name = "taskmanager-" + n;
        List<String> command = java(params.get(0), name);
        command.addAll(List.of("org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "--configDir",
                dir.resolve("conf").toString()));
        command.addAll(dynamicProperties(params.get(params.size() - 1)));
        return ManagedProcess.start(name, command, dir, dir.resolve(name + ".out"), dir.resolve(name + ".log"));
    }

    private List<String> java(String memoryFlags, String name) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(memoryFlags.trim().split("\\s+")));
        command.addAll(FlinkJvmOptions.MODULE_OPTIONS);
        command.addAll(List.of("-Dwindrose.process=" + name, "-Dlog.file=" + dir.resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + dir.resolve("conf/log4j.properties").toUri(), "-cp", classpath));
        return command;
    }

    /** What Flink's scripts ask BashJavaUtils: the JVM memory flags (first line) and dynamic properties (last line). */
    private List<String> resourceParams(String command) throws IOException {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        java.addAll(FlinkJvmOptions.MODULE_OPTIONS);
        java.addAll(List.of("-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils", command, "--configDir",
                dir.resolve("conf").toString()));
        Process process = new ProcessBuilder(java).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> results = output.lines().filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(line -> line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
        if (results.isEmpty()) {
            throw new IllegalStateException("BashJavaUtils " + command + " gave no result:\n" + output);
        }
        return results;
    }

    private static List<String> dynamicProperties(String line) {
        List<String> properties = new ArrayList<>();
        for (String part : line.trim().split("\\s+")) {
            if (!part.isEmpty()) {
                properties.add(part);
            }
        }
        return properties;
    }

    @Override
    public synchronized void close() {
        closing = true;
        for (ManagedProcess taskManager : taskManagerProcesses) {
            taskManager.stop(Duration.ofSeconds(15));
        }
        if (jobManager != null) {
            jobManager.stop(Duration.ofSeconds(15));
        }
    }
}
