package io.windrose.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.windrose.WindroseJob;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes/}, without a Kubernetes cluster (none runs here): they parse;
 * the FlinkDeployment uses only fields of the Flink Kubernetes Operator's spec (its model classes are not served from
 * Maven here, so the fields are those of the operator's CRD reference, listed below); every key of its
 * {@code flinkConfiguration} (and of the snippets in deploy/README.md) is a Flink 2.2 option found in Flink's own
 * {@code ConfigOption} classes, with a valid value, and not a deprecated key; the image, jar path, pipeline file,
 * volumes and Secret refer to each other consistently; the pipeline in the ConfigMap loads.
 */
class KubernetesManifestsTest {
    private static final Path DEPLOY = Path.of("../deploy");
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** A field whose value is a scalar (or a list of scalars). */
    private static final Object LEAF = "leaf";
    /** A field whose value Kubernetes or Flink defines (pod templates, configuration maps): checked elsewhere, if at all. */
    private static final Object ANY = "any";
    private static final Map<String, Object> RESOURCE = Map.of("cpu", LEAF, "memory", LEAF, "ephemeralStorage", LEAF);
    /**
     * FlinkDeploymentSpec of the operator's CRD reference (docs/content/docs/custom-resource/reference.md), as of
     * operators 1.13–1.15, the ones that accept flinkVersion v2_2. (jobManager/taskManager {@code resources}, Kubernetes
     * ResourceRequirements, arrives with 1.16; {@code resource} works on all of them.)
     */
    private static final Map<String, Object> SPEC = Map.ofEntries(
            Map.entry("job", Map.ofEntries(Map.entry("jarURI", LEAF), Map.entry("parallelism", LEAF),
                    Map.entry("entryClass", LEAF), Map.entry("args", LEAF),
                    Map.entry("state", Set.of("running", "suspended")), Map.entry("savepointTriggerNonce", LEAF),
                    Map.entry("initialSavepointPath", LEAF), Map.entry("checkpointTriggerNonce", LEAF),
                    Map.entry("upgradeMode", Set.of("savepoint", "last-state", "stateless")),
                    Map.entry("allowNonRestoredState", LEAF), Map.entry("savepointRedeployNonce", LEAF),
                    Map.entry("autoscalerResetNonce", LEAF))),
            Map.entry("restartNonce", LEAF),
            Map.entry("flinkConfiguration", ANY),
            Map.entry("image", LEAF),
            Map.entry("imagePullPolicy", Set.of("Always", "IfNotPresent", "Never")),
            Map.entry("serviceAccount", LEAF),
            // v1_13 … v1_18 are unsupported or deprecated in operator 1.13+
            Map.entry("flinkVersion", Set.of("v1_19", "v1_20", "v2_0", "v2_1", "v2_2", "v2_3", "v2_4")),
            Map.entry("ingress", Map.of("template", LEAF, "className", LEAF, "annotations", ANY, "labels", ANY, "tls", ANY)),
            Map.entry("podTemplate", ANY),
            Map.entry("jobManager", Map.of("resource", RESOURCE, "replicas", LEAF, "podTemplate", ANY)),
            Map.entry("taskManager", Map.of("resource", RESOURCE, "replicas", LEAF, "podTemplate", ANY)),
            Map.entry("logConfiguration", ANY),
            Map.entry("mode", Set.of("native", "standalone")));

    private static final FlinkConfigurationKeys FLINK = new FlinkConfigurationKeys();

    @Test
    void everyManifestParsesAsKubernetesObjects() throws IOException {
        List<JsonNode> objects = objects();
        assertThat(objects).extracting(o -> o.path("kind").asText())
                .containsExactlyInAnyOrder("FlinkDeployment", "ConfigMap", "PersistentVolumeClaim");
        for (JsonNode object : objects) {
            assertThat(object.path("apiVersion").asText()).as("apiVersion of %s", object.path("kind")).isNotBlank();
            assertThat(object.path("metadata").path("name").asText()).as("name of %s", object.path("kind")).isNotBlank();
        }
    }

    @Test
    void theFlinkDeploymentUsesOnlyFieldsOfTheOperatorsSpec() throws IOException {
        JsonNode deployment = object("FlinkDeployment");
        assertThat(deployment.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(names(deployment)).isSubsetOf("apiVersion", "kind", "metadata", "spec");
        List<String> problems = new ArrayList<>();
        check("spec", deployment.path("spec"), SPEC, problems);
        assertThat(problems).isEmpty();
        JsonNode spec = deployment.path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(spec.path("job").path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.has("job")).as("application mode: the deployment runs the job").isTrue();
        assertThat(EnvironmentInformation.getVersion()).as("the Flink the job is built against").startsWith("2.2.");
    }

    @Test
    void theSpecCheckCatchesWhatTheOperatorWouldRefuse() throws IOException {
        JsonNode wrong = YAML.readTree("""
                job: {jarURI: x, upgradeMode: savepoints, restartPolicy: always}
                flinkVersion: v1_17
                taskManager: {resource: {memory: 1g, gpu: 1}}
                """);
        List<String> problems = new ArrayList<>();
        check("spec", wrong, SPEC, problems);
        assertThat(problems).containsExactlyInAnyOrder(
                "spec.job.upgradeMode: 'savepoints' is not one of [last-state, savepoint, stateless]",
                "spec.job.restartPolicy: not a field of the operator's spec",
                "spec.flinkVersion: 'v1_17' is not one of [v1_19, v1_20, v2_0, v2_1, v2_2, v2_3, v2_4]",
                "spec.taskManager.resource.gpu: not a field of the operator's spec");
    }

    @Test
    void everyFlinkConfigurationKeyIsAFlink22OptionWithAValidValue() throws IOException {
        assertThat(FLINK.scannedClasses()).as("Flink's option classes found on the class path")
                .contains("org.apache.flink.configuration.CheckpointingOptions",
                        "org.apache.flink.configuration.StateBackendOptions",
                        "org.apache.flink.configuration.HighAvailabilityOptions",
                        "org.apache.flink.configuration.RestartStrategyOptions",
                        "org.apache.flink.configuration.TaskManagerOptions");
        Map<String, String> settings = flatten(object("FlinkDeployment").path("spec").path("flinkConfiguration"));
        assertThat(settings).containsKeys("state.backend.type", "execution.checkpointing.dir",
                "execution.checkpointing.savepoint-dir", "high-availability.type", "metrics.reporter.prom.factory.class");
        assertThat(FLINK.problems(settings)).isEmpty();
    }

    @Test
    void theFlinkConfigurationSnippetsOfTheDeployReadmeAreFlink22OptionsToo() throws IOException {
        // ```yaml other: YAML that is not Windrose configuration (Kubernetes, Flink, Prometheus), as the docs mark it
        Matcher blocks = Pattern.compile("```yaml(?: other)?\\n(.*?)```", Pattern.DOTALL).matcher(readme());
        int snippets = 0;
        while (blocks.find()) {
            JsonNode block = YAML.readTree(blocks.group(1));
            JsonNode configuration = block.path("spec").path("flinkConfiguration");
            if (block.has("flinkConfiguration")) {
                configuration = block.path("flinkConfiguration");
            }
            if (!configuration.isMissingNode()) {
                snippets++;
                assertThat(FLINK.problems(flatten(configuration))).as(blocks.group(1)).isEmpty();
            }
        }
        assertThat(snippets).as("flinkConfiguration snippets in deploy/README.md").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theKeyCheckRejectsUnknownDeprecatedAndMistypedSettings() {
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("taskmanager.numberOfTaskSlot", "2");
        wrong.put("state.savepoints.dir", "file:///x");
        wrong.put("metrics.reporter.prom.bogus", "1");
        wrong.put("restart-strategy.exponential-delay.max-backoff", "soon");
        wrong.put("s3.endpoint", "http://minio:9000");
        wrong.put("kubernetes.operator.periodic.savepoint.interval", "1h");
        List<String> problems = FLINK.problems(wrong);
        assertThat(problems).hasSize(4);
        assertThat(problems.get(0)).startsWith("taskmanager.numberOfTaskSlot: not a Flink 2.2 option");
        assertThat(problems.get(1)).isEqualTo("state.savepoints.dir: deprecated in Flink 2.2, use "
                + "execution.checkpointing.savepoint-dir");
        assertThat(problems.get(2)).startsWith("metrics.reporter.prom.bogus: not a reporter option");
        assertThat(problems.get(3)).startsWith("restart-strategy.exponential-delay.max-backoff: value 'soon' is not valid");
    }

    @Test
    void imageJarPipelineVolumesAndSecretReferToEachOther() throws IOException {
        String dockerfile = Files.readString(KUBERNETES.resolve("Dockerfile"));
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)$").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).isEqualTo("flink:2.2-java17");
        Matcher copy = Pattern.compile("(?m)^COPY (?:--chown=\\S+ )?(\\S+) (\\S+)$").matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        assertThat(copy.group(1)).as("the jar the build writes").isEqualTo("jobs/target/windrose-job-cluster.jar");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("windrose-job-cluster");

        JsonNode spec = object("FlinkDeployment").path("spec");
        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + copy.group(2));
        assertThat(job.path("entryClass").asText()).isEqualTo(WindroseJob.class.getName());

        JsonNode container = spec.path("podTemplate").path("spec").path("containers").path(0);
        assertThat(container.path("name").asText()).as("the operator merges only into this container")
                .isEqualTo("flink-main-container");
        Map<String, String> mounts = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        spec.path("podTemplate").path("spec").path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        assertThat(volumes.keySet()).containsExactlyInAnyOrderElementsOf(mounts.keySet());

        // the pipeline: --config points into the ConfigMap's mount, at a key the ConfigMap has
        JsonNode configMap = object("ConfigMap");
        assertThat(volumes.get("pipeline").path("configMap").path("name").asText())
                .isEqualTo(configMap.path("metadata").path("name").asText());
        List<String> args = new ArrayList<>();
        job.path("args").forEach(a -> args.add(a.asText()));
        String configPath = args.get(args.indexOf("--config") + 1);
        assertThat(Path.of(configPath).getParent().toString()).isEqualTo(mounts.get("pipeline"));
        assertThat(configMap.path("data").has(Path.of(configPath).getFileName().toString())).isTrue();

        // checkpoints, savepoints and HA metadata on the claimed volume
        JsonNode claim = object("PersistentVolumeClaim");
        assertThat(volumes.get("flink-data").path("persistentVolumeClaim").path("claimName").asText())
                .isEqualTo(claim.path("metadata").path("name").asText());
        assertThat(claim.path("spec").path("accessModes").toString()).as("JobManager and TaskManagers share it")
                .contains("ReadWriteMany");
        Map<String, String> flink = flatten(spec.path("flinkConfiguration"));
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir")) {
            assertThat(flink.get(key)).as(key).startsWith("file://" + mounts.get("flink-data") + "/");
        }

        // secrets: the variables the pipeline reads are what deploy/README.md puts in the Secret the pods load
        String secret = container.path("envFrom").path(0).path("secretRef").path("name").asText();
        Set<String> variables = new TreeSet<>();
        Matcher variable = Pattern.compile("\\$\\{([A-Z0-9_]+)}").matcher(configMap.path("data").path("pipeline.yaml").asText());
        while (variable.find()) {
            variables.add(variable.group(1));
        }
        assertThat(variables).isNotEmpty();
        Matcher create = Pattern.compile("kubectl create secret generic " + Pattern.quote(secret) + "((?:\\s*\\\\?\\n?\\s*"
                + "--from-literal=[A-Z0-9_]+=\\S+)+)").matcher(readme());
        assertThat(create.find()).as("deploy/README.md creates the Secret " + secret).isTrue();
        Set<String> inSecret = new TreeSet<>();
        Matcher literal = Pattern.compile("--from-literal=([A-Z0-9_]+)=").matcher(create.group(1));
        while (literal.find()) {
            inSecret.add(literal.group(1));
        }
        assertThat(inSecret).isEqualTo(variables);
        assertThat(flink.get("metrics.reporter.prom.port")).isEqualTo(container.path("ports").path(0)
                .path("containerPort").asText());
    }

    @Test
    void thePipelineOfTheConfigMapLoads(@TempDir Path dir) throws IOException {
        Path pipeline = Files.writeString(dir.resolve("pipeline.yaml"),
                object("ConfigMap").path("data").path("pipeline.yaml").asText());
        Map<String, String> environment = Map.of("MQTT_PASSWORD", "p", "INFLUX_TOKEN", "t",
                "KAFKA_SASL_JAAS", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        PipelineConfig config = new PipelineConfigLoader(environment::get).load(pipeline, List.of());
        assertThat(config.mqtt.password).isEqualTo("p");
        assertThat(config.sinks.influxdb.token).isEqualTo("t");
        assertThat(config.job.parallelism).as("the FlinkDeployment's job.parallelism applies").isNull();
        assertThatThrownBy(() -> new PipelineConfigLoader(name -> null).load(pipeline, List.of()))
                .as("a missing secret fails at start, naming it").hasMessageContaining("MQTT_PASSWORD");
    }

    private static void check(String path, JsonNode node, Map<String, Object> schema, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String where = path + "." + field.getKey();
            Object expected = schema.get(field.getKey());
            if (expected == null) {
                problems.add(where + ": not a field of the operator's spec");
            } else if (expected instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> fieldsOf = (Map<String, Object>) nested;
                check(where, field.getValue(), fieldsOf, problems);
            } else if (expected instanceof Set<?> values && !values.contains(field.getValue().asText())) {
                problems.add(where + ": '" + field.getValue().asText() + "' is not one of " + new TreeSet<>(values));
            } else if (expected == LEAF && field.getValue().isObject()) {
                problems.add(where + ": expected a value, not an object");
            }
        }
    }

    /** Nested maps as Flink reads them (a.b: {c: 1} is a.b.c: "1"). */
    private static Map<String, String> flatten(JsonNode node) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", node, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(),
                    f.getValue(), flat));
        } else {
            flat.put(prefix, node.asText());
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode object(String kind) throws IOException {
        return objects().stream().filter(o -> o.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    private static List<JsonNode> objects() throws IOException {
        List<JsonNode> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
                    documents.forEachRemaining(objects::add);
                }
            }
        }
        return objects;
    }

    private static String readme() throws IOException {
        return Files.readString(DEPLOY.resolve("README.md"));
    }
}
