package io.windrose;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import io.windrose.reading.SensorReadingSerializer;
import io.windrose.schema.SensorReading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.jobgraph.JobEdge;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the job's operators are chained into tasks: each shuffle and each task costs every reading CPU. */
class WindroseJobGraphTest {
    @TempDir
    Path dir;

    @Test
    void atMostOnceTheReadingsAreShuffledOnceToOneTaskOfAlertsThenWindows() throws Exception {
        JobGraph graph = graph("mqtt: {delivery: at-most-once, qos: 0}");
        JobVertex source = vertex(graph, "Source: mqtt-source");
        assertThat(consumers(graph, source)).as("tasks reading the source's readings").extracting(JobVertex::getName)
                .singleElement().satisfies(name -> assertThat(name).startsWith("alerts").contains("device-readings")
                        .contains("window-aggregates"));
    }

    @Test
    void atLeastOnceTheWindowsAreChainedBehindTheAlertsAfterDedup() throws Exception {
        JobGraph graph = graph("mqtt: {delivery: at-least-once, qos: 1}");
        JobVertex dedup = vertex(graph, "dedup");
        assertThat(consumers(graph, vertex(graph, "Source: mqtt-source"))).containsExactly(dedup);
        assertThat(consumers(graph, dedup)).extracting(JobVertex::getName).singleElement()
                .satisfies(name -> assertThat(name).startsWith("alerts").contains("window-aggregates"));
    }

    @Test
    void aKafkaTopicSetToNullTurnsItsOutputOffAndRulesTopicNullTurnsRuntimeRulesOff() throws Exception {
        Path file = dir.resolve("kafka-topics-off.yaml");
        Files.writeString(file, """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: 30}
                sinks:
                  influxdb: {enabled: false}
                  kafka: {late-topic: null}
                runtime-rules: {topic: null, status-topic: null, commands-topic: null}
                """);
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.build(env, config); // with a rules topic this would create it on Kafka: none runs here
        List<String> operators = env.getStreamGraph().getStreamNodes().stream().map(StreamNode::getOperatorName).toList();
        assertThat(operators).anyMatch(name -> name.contains("kafka-aggregates"))
                .anyMatch(name -> name.contains("kafka-dead-letters"))
                .anyMatch(name -> name.contains("no-rules-topic"))
                .noneMatch(name -> name.contains("kafka-late"))
                .noneMatch(name -> name.contains("kafka-rule-status"))
                .noneMatch(name -> name.equals("Source: rules-topic"))
                .noneMatch(name -> name.contains("alert-commands-topic"));
    }

    @Test
    void theArchiveOfReadingsIsOnWithKafkaAndOffWithReadingsTopicNull() throws Exception {
        for (String readingsTopic : new String[] {null, "readings-topic: null"}) {
            Path file = dir.resolve("archive.yaml");
            Files.writeString(file, """
                    routes:
                      - name: sensors
                        topic-template: sensors/{site}/{sensor}
                    sinks:
                      influxdb: {enabled: false}
                      kafka: {%s}
                    runtime-rules: {topic: null, status-topic: null, commands-topic: null}
                    """.formatted(readingsTopic == null ? "" : readingsTopic));
            PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
            StreamExecutionEnvironment env = WindroseJob.environment(config);
            WindroseJob.build(env, config);
            StreamGraph graph = env.getStreamGraph();
            List<StreamNode> archive = graph.getStreamNodes().stream()
                    .filter(node -> node.getOperatorName().startsWith("kafka-readings: Writer")).toList();
            if (readingsTopic == null) {
                assertThat(archive).as("the archive, on by default").hasSize(1);
                StreamNode stamp = graph.getStreamNode(archive.get(0).getInEdges().get(0).getSourceId());
                assertThat(stamp.getOperatorName()).as("each reading stamped with its watermark").isEqualTo("archive-stamp");
                assertThat(stamp.getInEdges()).extracting(edge -> graph.getStreamNode(edge.getSourceId())
                        .getOperatorName()).as("fed the readings the windows are offered").containsExactly("device-readings");
            } else {
                assertThat(archive).as("readings-topic: null turns the archive off").isEmpty();
            }
        }
    }

    @Test
    void theReadingsCrossBetweenTasksInWindrosesOwnFormatNotAvros() throws Exception {
        for (String mqtt : List.of("mqtt: {delivery: at-most-once, qos: 0}", "mqtt: {delivery: at-least-once, qos: 1}")) {
            StreamGraph graph = streamGraph(mqtt);
            List<StreamNode> keyed = graph.getStreamNodes().stream()
                    .filter(node -> node.getOperatorName().equals("alerts") || node.getOperatorName().equals("dedup"))
                    .toList();
            assertThat(keyed).as(mqtt).isNotEmpty().allSatisfy(node -> {
                assertThat(node.getTypeSerializersIn()[0]).as(node.getOperatorName())
                        .isInstanceOf(SensorReadingSerializer.class);
                List<TypeSerializer<?>> producers = node.getInEdges().stream()
                        .<TypeSerializer<?>>map(in -> graph.getStreamNode(in.getSourceId()).getTypeSerializerOut()).toList();
                assertThat(producers).as("what the producers of %s write", node.getOperatorName())
                        .hasAtLeastOneElementOfType(SensorReadingSerializer.class)
                        .noneMatch(out -> out instanceof AvroSerializer<?> avro && avro.getType() == SensorReading.class);
            });
        }
    }

    @Test
    void theReadingsWaitAtMost10MsTheAggregates100AndWhatIsRareNotAtAll() throws Exception {
        StreamGraph graph = streamGraph("mqtt: {delivery: at-most-once, qos: 0}");
        assertThat(outTimeouts(graph, "event-time")).as("readings to the keyed task").containsOnly(10L);
        assertThat(outTimeouts(graph, "window-aggregates")).as("aggregates to the sinks").containsOnly(100L);
        assertThat(outTimeouts(graph, "alerts")).as("alerts, commands, webhooks").containsOnly(0L);
        assertThat(outTimeouts(graph, "expected-sensor")).as("expected-sensor markers").containsOnly(0L);
        assertThat(outTimeouts(graph, "Source: no-rules-topic")).as("rule updates").containsOnly(0L);
    }

    private static List<Long> outTimeouts(StreamGraph graph, String operator) {
        List<Long> timeouts = graph.getStreamNodes().stream().filter(node -> node.getOperatorName().equals(operator))
                .flatMap(node -> node.getOutEdges().stream()).map(edge -> edge.getBufferTimeout()).toList();
        assertThat(timeouts).as("edges out of %s", operator).isNotEmpty();
        return timeouts;
    }

    private JobGraph graph(String mqtt) throws Exception {
        return streamGraph(mqtt).getJobGraph();
    }

    private StreamGraph streamGraph(String mqtt) throws Exception {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, """
                routes:
                  - name: sensors
                    topic-template: sensors/{site}/{sensor}
                rules:
                  - {name: hot, field: temperature, above: 30}
                sinks:
                  influxdb: {enabled: false}
                  kafka: {enabled: false}
                """ + mqtt + "\n");
        PipelineConfig config = new PipelineConfigLoader().load(file, List.of());
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.build(env, config);
        return env.getStreamGraph();
    }

    private static JobVertex vertex(JobGraph graph, String namePrefix) {
        return StreamSupport.stream(graph.getVertices().spliterator(), false)
                .filter(v -> v.getName().startsWith(namePrefix)).findFirst().orElseThrow();
    }

    private static List<JobVertex> consumers(JobGraph graph, JobVertex producer) {
        return StreamSupport.stream(graph.getVertices().spliterator(), false)
                .filter(v -> v.getInputs().stream().map(JobEdge::getSource)
                        .anyMatch(data -> data.getProducer().equals(producer)))
                .toList();
    }
}
