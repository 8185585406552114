package io.windrose.testing;

import io.windrose.WindroseJob;
import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.enumerator.MqttSubscriptionEnumerator;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import io.windrose.localcluster.InMemoryMetrics;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.mqtt.MqttMessage;
import io.windrose.mqtt.MqttSources;
import io.windrose.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for tests that run jobs in a mini-cluster against real services: starts a job, waits until
 * every one of its MQTT readers has subscribed at the broker, and cancels every job it started after each test.
 * Metrics are readable through {@link InMemoryMetrics} (reset at each start).
 *
 * <pre>{@code @RegisterExtension final RunningJobs jobs = new RunningJobs();}</pre>
 */
public final class RunningJobs implements AfterEachCallback {
    private static final Duration SUBSCRIBED_WITHIN = Duration.ofSeconds(60);

    private final List<JobClient> started = new ArrayList<>();

    /**
     * Starts a job named {@code name} against the shared real services: its InfluxDB database {@code name} (created
     * here), Kafka topics {@code name.aggregates} etc. (or Kafka off), then {@code yaml} (routes, event time, ...) and
     * {@code overrides} (key=value) — see {@link TestPipelines#services} — and waits for its subscriptions.
     */
    public JobClient startWithServices(String name, boolean kafka, String yaml, String... overrides) throws Exception {
        RealServices.influx().createDatabase(name);
        return start(TestPipelines.load(name, TestPipelines.services(name, RealServices.mosquitto(), RealServices.influx(),
                name, kafka ? RealServices.kafka() : null) + yaml, overrides), RealServices.mosquitto());
    }

    /** Starts the Windrose job of {@code config} and waits until its readers subscribed at {@code broker}. */
    public JobClient start(PipelineConfig config, MosquittoServer broker) throws Exception {
        return start(config, broker, UnaryOperator.identity());
    }

    /**
     * As {@link #start(PipelineConfig, MosquittoServer)}, with {@code tap} between the MQTT source and the stages (e.g.
     * to inject a failure). With {@code broker} null it does not wait (a broker that is not up yet).
     */
    public JobClient start(PipelineConfig config, MosquittoServer broker, UnaryOperator<DataStream<MqttMessage>> tap)
            throws Exception {
        config.job.flinkConfig.putAll(InMemoryMetrics.flinkConfig());
        InMemoryMetrics.reset();
        StreamExecutionEnvironment env = WindroseJob.environment(config);
        WindroseJob.sinks(WindroseJob.process(tap.apply(WindroseJob.messages(env, config)), config), config);
        JobClient job = track(env.executeAsync(config.job.name));
        if (broker != null) {
            awaitSubscribed(broker, config);
        }
        return job;
    }

    /** Cancels {@code job} after the test too (jobs started some other way, e.g. a source into a test sink). */
    public JobClient track(JobClient job) {
        started.add(job);
        return job;
    }

    /** Waits until every reader of the job of {@code config} subscribed to its filters at {@code broker}. */
    public void awaitSubscribed(MosquittoServer broker, PipelineConfig config) {
        LinkedHashSet<String> filters = new LinkedHashSet<>();
        config.routes.forEach(route -> filters.addAll(route.topicFilters()));
        MqttSource<MqttMessage> source = MqttSources.builder(config.mqtt).setTopics(List.copyOf(filters)).build();
        awaitSubscribed(broker, source.options(), config.job.parallelism == null ? 1 : config.job.parallelism);
    }

    /** Waits until each of {@code parallelism} readers of a source subscribed to what its split holds. */
    public void awaitSubscribed(MosquittoServer broker, MqttSourceOptions options, int parallelism) {
        for (int reader = 0; reader < parallelism; reader++) {
            MqttSubscriptionSplit split = MqttSubscriptionEnumerator.splitFor(options, reader, parallelism);
            for (String subscription : split.subscriptions()) {
                broker.awaitSubscription(split.clientId(), subscription, SUBSCRIBED_WITHIN);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (JobClient job : started) {
            JobStatus status;
            try {
                status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                continue; // the job ended and its mini-cluster with it
            }
            if (!status.isGloballyTerminalState() && status != JobStatus.CANCELLING) {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    if (!ended(job)) { // a test that cancelled it itself can race this: then it is simply gone
                        first = first == null ? e : first; // reported once every job had its chance to be cancelled
                    }
                }
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Whether the job has ended: its status is terminal, or its mini-cluster is gone with it. */
    private static boolean ended(JobClient job) {
        try {
            return job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState();
        } catch (Exception e) {
            return true;
        }
    }
}
