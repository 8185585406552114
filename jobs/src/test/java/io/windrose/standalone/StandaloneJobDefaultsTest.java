package io.windrose.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.WindroseJob;
import io.windrose.pipeline.PipelineConfig;
import io.windrose.pipeline.PipelineConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mini-cluster's defaults: Flink's REST API on 127.0.0.1 without jar upload, unless flink-config opts in. */
class StandaloneJobDefaultsTest {
    private static final String MINIMAL = """
            routes:
              - name: sensors
                topic-template: sensors/{site}/{sensor}
            """;

    @TempDir
    Path dir;

    @Test
    void restListensOnLoopbackWithoutUploadsUnlessFlinkConfigOptsIn() throws IOException {
        PipelineConfig plain = load(MINIMAL);
        Map<String, String> options = WindroseJob.environment(plain, new StandaloneJob(plain, name -> null).defaults())
                .getConfiguration().toMap();
        assertThat(options).containsEntry("rest.bind-address", "127.0.0.1").containsEntry("rest.address", "127.0.0.1")
                .containsEntry("web.submit.enable", "false").containsEntry("jobmanager.bind-host", "127.0.0.1");

        PipelineConfig open = load(MINIMAL + """
                job:
                  flink-config:
                    rest.bind-address: 0.0.0.0
                    web.submit.enable: "true"
                """);
        options = WindroseJob.environment(open, new StandaloneJob(open, name -> null).defaults()).getConfiguration().toMap();
        assertThat(options).containsEntry("rest.bind-address", "0.0.0.0").containsEntry("web.submit.enable", "true");
    }

    @Test
    void flinksPrometheusReporterIsReplacedByTheBoundOneOnLoopbackUnlessAHostIsGiven() {
        assertThat(StandaloneJob.boundReporters(Map.of(
                "metrics.reporter.prom.factory.class", StandaloneJob.FLINK_PROMETHEUS,
                "metrics.reporter.prom.port", "9249")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "metrics.reporter.prom.factory.class", StandaloneJob.BOUND_PROMETHEUS,
                        "metrics.reporter.prom.host", "127.0.0.1"));
        assertThat(StandaloneJob.boundReporters(Map.of(
                "metrics.reporter.open.factory.class", StandaloneJob.FLINK_PROMETHEUS,
                "metrics.reporter.open.host", "0.0.0.0")))
                .containsEntry("metrics.reporter.open.host", "0.0.0.0");
        // other reporters, and ours named directly, are left as they are
        assertThat(StandaloneJob.boundReporters(Map.of(
                "metrics.reporter.jmx.factory.class", "org.apache.flink.metrics.jmx.JMXReporterFactory",
                "metrics.reporter.own.factory.class", StandaloneJob.BOUND_PROMETHEUS))).isEmpty();
    }

    private PipelineConfig load(String yaml) throws IOException {
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml);
        return new PipelineConfigLoader().load(file, List.of());
    }
}
