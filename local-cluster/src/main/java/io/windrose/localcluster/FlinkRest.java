package io.windrose.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The REST API of a Flink cluster, as operators use it with curl: upload a jar ({@code POST /jars/upload}), run it
 * ({@code POST /jars/<id>/run}, detached), look at jobs, stop one with a savepoint ({@code POST /jobs/<id>/stop}).
 */
public final class FlinkRest {
    private static final int STOP_ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String url) {
        this.url = url;
    }

    /** Registered TaskManagers ({@code GET /overview}); 0 while the JobManager does not answer. */
    public int taskManagers() {
        try {
            return get("/overview").path("taskmanagers").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    public JsonNode overview() throws IOException {
        return get("/overview");
    }

    /** Uploads a jar; returns its id on the cluster. */
    public String upload(Path jar) throws IOException {
        String boundary = "windrose-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = answer.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /**
     * Runs an uploaded jar (detached); returns the job id.
     *
     * @param savepoint a savepoint to start from, or null
     */
    public String run(String jarId, String entryClass, List<String> args, int parallelism, String savepoint,
            boolean allowNonRestoredState) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        request.set("programArgsList", JSON.valueToTree(args));
        if (parallelism > 0) {
            request.put("parallelism", parallelism);
        }
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
            request.put("allowNonRestoredState", allowNonRestoredState);
        }
        return send(HttpRequest.newBuilder(URI.create(url + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))).path("jobid").asText();
    }

    /** The state of a job: RUNNING, FINISHED, FAILED, ... */
    public String state(String jobId) throws IOException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Every job the cluster knows: id and state. */
    public JsonNode jobs() throws IOException {
        return get("/jobs/overview").path("jobs");
    }

    /** Waits until the job is RUNNING and all its tasks too. */
    public void awaitRunning(String jobId, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = get("/jobs/" + jobId);
            boolean allRunning = job.path("state").asText().equals("RUNNING");
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= vertex.path("status").asText().equals("RUNNING")
                        || vertex.path("status").asText().equals("FINISHED");
            }
            if (allRunning) {
                return;
            }
            ManagedProcess.sleep(300);
        }
        throw new IllegalStateException("job " + jobId + " not running after " + timeout + ": " + get("/jobs/" + jobId));
    }

    /**
     * Stops the job with a savepoint (no drain) in {@code directory}; returns the savepoint's path. A stop that fails
     * while the job keeps running is tried up to {@value #STOP_ATTEMPTS} times.
     */
    public String stopWithSavepoint(String jobId, String directory, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return stopWithSavepointOnce(jobId, directory, deadline);
            } catch (IOException e) {
                // a failed stop leaves the job running (Flink aborts the savepoint only); a clean-clone CI run saw one
                // fail with "Task local checkpoint failure" seconds after the job started: try again, as an operator would
                if (attempt == STOP_ATTEMPTS || !state(jobId).equals("RUNNING") || System.nanoTime() > deadline) {
                    throw e;
                }
                System.err.println("stop with savepoint, attempt " + attempt + " of " + STOP_ATTEMPTS + ": "
                        + e.getMessage() + "; the job still runs, trying again");
                ManagedProcess.sleep(1_000);
            }
        }
    }

    private String stopWithSavepointOnce(String jobId, String directory, long deadline) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("targetDirectory", directory);
        request.put("drain", false);
        String trigger = send(HttpRequest.newBuilder(URI.create(url + "/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))).path("request-id").asText();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if (status.path("status").path("id").asText().equals("COMPLETED")) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException("stop with savepoint of job " + jobId + " failed: "
                            + operation.path("failure-cause").path("stack-trace").asText().lines().findFirst().orElse(""));
                }
                awaitState(jobId, "FINISHED", Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)));
                return operation.path("location").asText();
            }
            ManagedProcess.sleep(300);
        }
        throw new IOException("stop with savepoint of job " + jobId + " did not complete in time");
    }

    /** Waits until the job reaches the state (the savepoint of a stop completes before the job has finished). */
    public void awaitState(String jobId, String state, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (state(jobId).equals(state)) {
                return;
            }
            ManagedProcess.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new IOException("job " + jobId + " not " + state + " after " + timeout + " but " + state(jobId));
    }

    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(URI.create(url + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("Flink REST " + response.request().method() + " " + response.request().uri() + ": HTTP "
                        + response.statusCode() + " " + errors(response.body()));
            }
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Flink's error answer without the stack frames: each error's first line and its root cause. */
    private static String errors(String body) {
        JsonNode errors;
        try {
            errors = JSON.readTree(body).path("errors");
        } catch (IOException e) {
            return body;
        }
        StringBuilder message = new StringBuilder();
        for (JsonNode error : errors) {
            List<String> lines = error.asText().lines().toList();
            String rootCause = lines.stream().filter(line -> line.startsWith("Caused by:")).reduce((a, b) -> b).orElse("");
            message.append(message.isEmpty() ? "" : "\n  ").append(lines.isEmpty() ? "" : lines.get(0).strip());
            if (!rootCause.isEmpty()) {
                message.append("\n  ").append(rootCause.strip());
            }
        }
        return message.isEmpty() ? body : message.toString();
    }
}
