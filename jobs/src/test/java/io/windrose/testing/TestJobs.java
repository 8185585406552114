package io.windrose.testing;

import io.windrose.WindroseJob;
import io.windrose.config.PipelineConfig;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.mqtt.MqttMessage;
import java.util.function.UnaryOperator;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Starts the Windrose job of a pipeline file in a mini-cluster, its metrics readable through {@link InMemoryMetrics}. */
public final class TestJobs {
    private TestJobs() {}

    /**
     * Starts a job named {@code name} against the shared real services: its InfluxDB database {@code name} (created
     * here), Kafka topics {@code name.aggregates} etc. (or Kafka off), then {@code yaml} (routes, event time, ...) and
     * {@code overrides} (key=value) — see {@link TestPipelines#services}.
     */
    public static JobClient startWithServices(String name, boolean kafka, String yaml, String... overrides)
            throws Exception {
        RealServices.influx().createDatabase(name);
        return start(TestPipelines.load(name, TestPipelines.services(name, RealServices.mosquitto(), RealServices.influx(),
                name, kafka ? RealServices.kafka() : null) + yaml, overrides));
    }

    public static JobClient start(PipelineConfig config) throws Exception {
        return start(config, UnaryOperator.identity());
    }

    /** As {@link #start(PipelineConfig)}, with {@code tap} between the MQTT source and the stages (e.g. to inject a failure). */
    public static JobClient start(PipelineConfig config, UnaryOperator<DataStream<MqttMessage>> tap) throws Exception {
        config.job.flinkConfig.putAll(InMemoryMetrics.flinkConfig());
        InMemoryMetrics.reset();
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.sinks(WindroseJob.process(tap.apply(WindroseJob.messages(env, config)), config), config);
        return env.executeAsync(config.job.name);
    }
}
