package io.windrose.flink.connector.mqtt.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.windrose.flink.connector.mqtt.common.MqttDeliveryGuarantee;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttRecord;
import io.windrose.flink.connector.mqtt.testing.TestBroker;
import io.windrose.localcluster.MosquittoServer;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.TestResource;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.environment.TestEnvironment;
import org.apache.flink.connector.testframe.environment.TestEnvironmentSettings;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestExternalSystem;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SourceTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source under Flink's connector testing framework ({@link SourceTestSuiteBase}) against a real Mosquitto.
 *
 * <p><b>Layout.</b> A framework split is one MQTT topic, {@code <ns>/split-<i>}, fed by one writer publishing at QoS 1
 * (not retained). The source subscribes to the single filter {@code <ns>/#} at-least-once with shared subscriptions
 * off, so the enumerator gives that filter to reader 0 ({@code <prefix>-0}) at every parallelism and the other
 * readers stay idle. Records are {@code "<topic>|<payload>"} strings made by a schema of this test's own.
 *
 * <p><b>The broker cannot rewind.</b> MQTT delivers a message only to subscriptions that exist when it is published,
 * and the framework writes its data before the job (or the job restored from a savepoint) has subscribed. So the
 * external context creates reader 0's persistent session first (same client id, QoS 1 subscription to {@code <ns>/#},
 * session expiry), before anything is published: Mosquitto queues the messages and the reader, which connects
 * without clean start, is given them in publish order. Retained messages would not do (one per topic). This relies on
 * {@link MosquittoServer}'s {@code max_queued_messages 100000} (stock Mosquitto queues 1,000 per session) and
 * {@code max_inflight_messages 0}: the metrics test runs without checkpoints, so nothing is acked and a stock broker
 * (20 in flight) would stall it.
 *
 * <p><b>The bounded tests, unbounded.</b> The framework's {@code testSourceSingleSplit}, {@code testMultipleSplits} and
 * {@code testIdleReader} ask for a bounded source and wait for the job to finish; this source is always unbounded (a
 * topic has no end). They are overridden here with the same data and parallelism on the unbounded source: the job
 * runs until it has collected as many records as were written (then it is cancelled), and the records must be the
 * written ones — in publish order for the single split, per split for several, and with more readers than splits (the
 * idle readers must not hold anything back). The savepoint, scale-up (2 to 4), scale-down (4 to 2), metrics and
 * TaskManager-failure tests run as the framework has them.
 *
 * <p><b>What the one-reader layout covers, and what not.</b> It covers resuming a session across stop-with-savepoint,
 * a changed parallelism (readers that are added or removed stay idle), {@code numRecordsIn}, and a TaskManager killed
 * under the job. It does not cover dealing several filters over several readers, nor shared subscriptions: with one
 * session per reader, messages queued for a reader that the resumed parallelism no longer has stay in that reader's
 * session (the enumerator warns about it), so the suite's scale-down cannot pass with filters spread over readers,
 * and shared subscriptions spread a topic over readers, which breaks the per-split order the suite checks.
 * {@code SharedSubscriptionITCase} in {@code jobs} covers shared subscriptions.
 *
 * <p>Semantics: at-least-once only (the source acks messages when a checkpoint completes; a message whose ack was
 * lost comes again). The suite's own waits never time out, so a lost message would hang: hence the {@link Timeout}.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // per test invocation
class MqttSourceTestSuiteITCase extends SourceTestSuiteBase<String> {
    private static final Logger LOG = LoggerFactory.getLogger(MqttSourceTestSuiteITCase.class);

    @TestEnv
    MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    @TestExternalSystem
    MosquittoExternalSystem mosquitto = new MosquittoExternalSystem();

    @TestContext
    ExternalContextFactory<MqttSourceExternalContext> oneReaderHoldsAllTopics =
            testName -> new MqttSourceExternalContext(mosquitto.broker());

    @TestSemantics
    CheckpointingMode[] semantics = {CheckpointingMode.AT_LEAST_ONCE};

    /** Per result iterator: the records already checked on it (the savepoint and failover tests check twice). */
    private final Map<CloseableIterator<String>, Set<String>> checked =
            Collections.synchronizedMap(new IdentityHashMap<>());

    /**
     * At-least-once: a record checked earlier on the same iterator may come again (its ack was lost when the
     * TaskManager died); the framework would count it as a wrong record of the next batch, so it is dropped here.
     */
    @Override
    protected void checkResultWithSemantic(CloseableIterator<String> results, List<List<String>> testData,
            CheckpointingMode semantic, Integer limit) {
        Set<String> earlier = checked.computeIfAbsent(results, iterator -> new HashSet<>());
        super.checkResultWithSemantic(new SkippingIterator(results, Set.copyOf(earlier)), testData, semantic, limit);
        testData.forEach(earlier::addAll);
    }

    @TestTemplate
    @DisplayName("one split, unbounded: every record, in publish order")
    @Override
    public void testSourceSingleSplit(TestEnvironment testEnv, DataStreamSourceExternalContext<String> context,
            CheckpointingMode semantic) throws Exception {
        List<List<String>> written = writeSplits(context, semantic, 1);
        assertThat(collect(testEnv, context, semantic, 1, written)).isEqualTo(written.get(0));
    }

    @TestTemplate
    @DisplayName("four splits at parallelism 4, unbounded: every record, each split in order")
    @Override
    public void testMultipleSplits(TestEnvironment testEnv, DataStreamSourceExternalContext<String> context,
            CheckpointingMode semantic) throws Exception {
        List<List<String>> written = writeSplits(context, semantic, 4);
        checkPerSplit(collect(testEnv, context, semantic, 4, written), written);
    }

    @TestTemplate
    @DisplayName("four splits at parallelism 5, unbounded: the idle readers hold nothing back")
    @Override
    public void testIdleReader(TestEnvironment testEnv, DataStreamSourceExternalContext<String> context,
            CheckpointingMode semantic) throws Exception {
        List<List<String>> written = writeSplits(context, semantic, 4);
        checkPerSplit(collect(testEnv, context, semantic, 5, written), written);
    }

    private List<List<String>> writeSplits(DataStreamSourceExternalContext<String> context, CheckpointingMode semantic,
            int splits) {
        List<List<String>> written = new ArrayList<>();
        for (int split = 0; split < splits; split++) {
            written.add(generateAndWriteTestData(split, context, unbounded(semantic)));
        }
        return written;
    }

    /** Runs the unbounded source at {@code parallelism} until it has emitted as many records as were written. */
    private List<String> collect(TestEnvironment testEnv, DataStreamSourceExternalContext<String> context,
            CheckpointingMode semantic, int parallelism, List<List<String>> written) throws Exception {
        StreamExecutionEnvironment env = testEnv.createExecutionEnvironment(TestEnvironmentSettings.builder()
                .setConnectorJarPaths(context.getConnectorJarPaths()).build());
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        int total = written.stream().mapToInt(List::size).sum();
        return env.fromSource(tryCreateSource(context, unbounded(semantic)), WatermarkStrategy.noWatermarks(), "mqtt")
                .executeAndCollect("mqtt source, " + written.size() + " split(s) at parallelism " + parallelism, total);
    }

    private static TestingSourceSettings unbounded(CheckpointingMode semantic) {
        return TestingSourceSettings.builder().setBoundedness(Boundedness.CONTINUOUS_UNBOUNDED)
                .setCheckpointingMode(semantic).build();
    }

    /** Exactly the written records, each split's in the order they were published. */
    private static void checkPerSplit(List<String> results, List<List<String>> written) {
        assertThat(results).containsExactlyInAnyOrderElementsOf(written.stream().flatMap(List::stream).toList());
        for (List<String> split : written) {
            assertThat(results.stream().filter(Set.copyOf(split)::contains).toList()).isEqualTo(split);
        }
    }

    /** The connector tests' shared Mosquitto, as the framework's external system. */
    static final class MosquittoExternalSystem implements TestResource {
        private MosquittoServer broker;

        @Override
        public void startUp() {
            broker = TestBroker.mosquitto();
        }

        @Override
        public void tearDown() {} // stopped with the test JVM

        MosquittoServer broker() {
            return Objects.requireNonNull(broker, "Mosquitto is not started yet");
        }
    }

    /** Fresh topics and client ids per test invocation; reader 0's session exists before anything is published. */
    static final class MqttSourceExternalContext implements DataStreamSourceExternalContext<String> {
        private static final Duration SESSION_EXPIRY = Duration.ofMinutes(10);
        private static final int MOST_READERS = 4; // the highest parallelism of the tests that run

        private final MosquittoServer broker;
        private final String namespace;
        private final String clientIdPrefix;
        private final List<MqttTopicWriter> writers = new ArrayList<>();

        MqttSourceExternalContext(MosquittoServer broker) {
            this.broker = broker;
            long id = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
            namespace = "suite/" + Long.toHexString(id);
            clientIdPrefix = "suite-" + Long.toHexString(id);
            Mqtt5BlockingClient session = client(clientIdPrefix + "-0");
            session.connectWith().cleanStart(true).sessionExpiryInterval(SESSION_EXPIRY.toSeconds()).send();
            session.subscribeWith().topicFilter(namespace + "/#").qos(MqttQos.AT_LEAST_ONCE).send(); // waits for SUBACK
            session.disconnect(); // the session and its subscription stay: QoS 1 messages queue for reader 0
        }

        @Override
        public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
            if (settings.getBoundedness() == Boundedness.BOUNDED) {
                // the bounded tests are overridden above; nothing else may ask for a bounded MQTT source
                throw new IllegalArgumentException("the MQTT source is unbounded");
            }
            // the same prefix on every call: the source restored from a savepoint resumes reader 0's session
            return MqttSource.<String>builder()
                    .setServers(List.of(broker.uri()))
                    .setTopics(namespace + "/#")
                    .setClientIdPrefix(clientIdPrefix)
                    .setDeliveryGuarantee(MqttDeliveryGuarantee.AT_LEAST_ONCE)
                    .setQos(1)
                    .setSessionExpiry(SESSION_EXPIRY)
                    .setSharedSubscription(false)
                    .setDeserializer(new TopicAndPayload())
                    .build();
        }

        @Override
        public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(TestingSourceSettings settings) {
            MqttTopicWriter writer = new MqttTopicWriter(broker.port());
            writers.add(writer); // the framework never closes its writers
            return writer;
        }

        /** Between 100 and 499 records for topic {@code <ns>/split-<i>}, none equal to a record of another split. */
        @Override
        public List<String> generateTestData(TestingSourceSettings settings, int splitIndex, long seed) {
            Random random = new Random(seed);
            int count = 100 + random.nextInt(400);
            List<String> records = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                records.add(namespace + "/split-" + splitIndex + "|" + Long.toHexString(seed) + "-" + i + "-"
                        + random.nextInt(1_000_000));
            }
            return records;
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }

        @Override
        public List<URL> getConnectorJarPaths() {
            return List.of(); // a MiniCluster: the connector is on the class path
        }

        @Override
        public void close() {
            writers.forEach(MqttTopicWriter::close);
            for (int reader = 0; reader < MOST_READERS; reader++) { // drop whatever sessions the readers left
                Mqtt5BlockingClient session = client(clientIdPrefix + "-" + reader);
                session.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
                session.disconnect();
            }
        }

        @Override
        public String toString() {
            return "Mosquitto, a topic per split, reader 0 on " + namespace + "/#";
        }

        private Mqtt5BlockingClient client(String clientId) {
            return MqttClient.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(broker.port())
                    .useMqttVersion5().buildBlocking();
        }
    }

    /** Publishes {@code "<topic>|<payload>"} records at QoS 1, not retained; returns once every PUBACK is in. */
    static final class MqttTopicWriter implements ExternalSystemSplitDataWriter<String> {
        private final Mqtt5AsyncClient client;

        MqttTopicWriter(int port) {
            Mqtt5BlockingClient blocking = MqttClient.builder().identifier("suite-writer-" + UUID.randomUUID())
                    .serverHost("127.0.0.1").serverPort(port).useMqttVersion5().buildBlocking();
            blocking.connect();
            client = blocking.toAsync();
        }

        @Override
        public void writeRecords(List<String> records) {
            List<CompletableFuture<?>> acks = new ArrayList<>(records.size());
            for (String record : records) {
                int bar = record.indexOf('|');
                acks.add(client.publishWith().topic(record.substring(0, bar)).qos(MqttQos.AT_LEAST_ONCE).retain(false)
                        .payload(record.substring(bar + 1).getBytes(StandardCharsets.UTF_8)).send());
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        }

        @Override
        public void close() {
            client.disconnect().join();
        }
    }

    /** {@code "<topic>|<payload>"}: what the framework compares with what the writers published. */
    static final class TopicAndPayload implements MqttDeserializationSchema<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(MqttRecord record, Collector<String> out) {
            out.collect(record.topic() + "|" + new String(record.payload(), StandardCharsets.UTF_8));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** The results without the records in {@code skip} (redeliveries of records checked before); logs each skip. */
    private static final class SkippingIterator implements CloseableIterator<String> {
        private final CloseableIterator<String> results;
        private final Set<String> skip;
        private String next;

        SkippingIterator(CloseableIterator<String> results, Set<String> skip) {
            this.results = results;
            this.skip = skip;
        }

        @Override
        public boolean hasNext() {
            while (next == null && results.hasNext()) {
                String candidate = results.next();
                if (skip.contains(candidate)) {
                    LOG.warn("Redelivered after it was checked, skipped: {}", candidate);
                } else {
                    next = candidate;
                }
            }
            return next != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String result = next;
            next = null;
            return result;
        }

        @Override
        public void close() throws Exception {
            results.close();
        }
    }
}
