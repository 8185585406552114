package io.windrose.flink.connector.mqtt.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import io.windrose.flink.connector.mqtt.source.MqttSource;
import io.windrose.flink.connector.mqtt.source.MqttSourceBuilder;
import io.windrose.flink.connector.mqtt.source.reader.deserializer.MqttDeserializationSchema;
import io.windrose.flink.connector.mqtt.source.split.MqttSubscriptionSplit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

class MqttSubscriptionEnumeratorTest {
    private static final List<String> FILTERS = List.of("a/#", "b/#", "c/#");

    @Test
    void sharedSubscriptionsGiveEveryReaderEveryFilterUnderItsOwnStableClientId() {
        MqttSourceOptions options = builder().setClientIdPrefix("job").setSharedGroup("g")
                .setTopics(FILTERS).build().options();
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).clientId()).isEqualTo("job-1");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).subscriptions())
                .containsExactly("$share/g/a/#", "$share/g/b/#", "$share/g/c/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 0, 1).subscriptions()).containsExactlyElementsOf(FILTERS);
    }

    @Test
    void withoutSharedSubscriptionsTheFiltersAreDealtOutAndSpareReadersGetNone() {
        MqttSourceOptions options = builder().setSharedSubscription(false).setTopics(FILTERS)
                .build().options();
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 0, 2).subscriptions()).containsExactly("a/#", "c/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).subscriptions()).containsExactly("b/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 3, 4).subscriptions()).isEmpty();
    }

    @Test
    void everyRegistrationOfAReaderIsGivenTheSplitOfTheCurrentPipelineAndParallelism() throws Exception {
        MqttSourceOptions options = builder().setClientIdPrefix("job").setSharedGroup("g")
                .setTopics(FILTERS).build().options();
        try (MockSplitEnumeratorContext<MqttSubscriptionSplit> context = new MockSplitEnumeratorContext<>(2)) {
            MqttSubscriptionEnumerator enumerator = new MqttSubscriptionEnumerator(options, context,
                    MqttEnumeratorState.empty());
            enumerator.start();
            enumerator.addReader(0);
            enumerator.addReader(1);
            // a reader's next attempt (after a failover) keeps no split in its state: it is given one again
            enumerator.addSplitsBack(List.of(MqttSubscriptionEnumerator.splitFor(options, 1, 2)), 1);
            enumerator.addReader(1);
            assertThat(assigned(context)).containsExactly("0:job-0", "1:job-1", "1:job-1");
            assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0).get(0).subscriptions())
                    .containsExactly("$share/g/a/#", "$share/g/b/#", "$share/g/c/#");
        }
    }

    @Test
    void aRestoredEnumeratorAssignsFromTheCurrentParallelismAndNamesTheReadersThatAreGone() throws Exception {
        MqttSourceOptions options = builder().setClientIdPrefix("job").setTopics(FILTERS).build()
                .options();
        MqttEnumeratorStateSerializer serializer = new MqttEnumeratorStateSerializer();
        byte[] checkpoint;
        try (MockSplitEnumeratorContext<MqttSubscriptionSplit> context = new MockSplitEnumeratorContext<>(3)) {
            MqttSubscriptionEnumerator enumerator = new MqttSubscriptionEnumerator(options, context,
                    MqttEnumeratorState.empty());
            for (int reader = 0; reader < 3; reader++) {
                enumerator.addReader(reader);
            }
            checkpoint = serializer.serialize(enumerator.snapshotState(1L));
        }
        MqttEnumeratorState state = serializer.deserialize(serializer.getVersion(), checkpoint);
        assertThat(state.assignedReaders()).containsExactly(0, 1, 2);
        try (MockSplitEnumeratorContext<MqttSubscriptionSplit> context = new MockSplitEnumeratorContext<>(1)) {
            MqttSubscriptionEnumerator restored = new MqttSubscriptionEnumerator(options, context, state);
            restored.start();
            restored.addReader(0);
            assertThat(assigned(context)).containsExactly("0:job-0");
            assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(0).get(0).subscriptions())
                    .as("one reader: plain subscriptions").containsExactlyElementsOf(FILTERS);
            assertThat(restored.clientIdsNoLongerUsed()).containsExactly("job-1", "job-2");
        }
        assertThatThrownBy(() -> serializer.deserialize(serializer.getVersion() + 1, checkpoint))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aSpareReaderWithoutFiltersIsGivenNothing() throws Exception {
        MqttSourceOptions options = builder().setSharedSubscription(false).setTopics(List.of("a/#"))
                .build().options();
        try (MockSplitEnumeratorContext<MqttSubscriptionSplit> context = new MockSplitEnumeratorContext<>(2)) {
            MqttSubscriptionEnumerator enumerator = new MqttSubscriptionEnumerator(options, context,
                    MqttEnumeratorState.empty());
            enumerator.addReader(0);
            enumerator.addReader(1);
            assertThat(assigned(context)).containsExactly("0:job-0");
        }
    }

    private static MqttSourceBuilder<String> builder() {
        return MqttSource.<String>builder().setServers(List.of("tcp://127.0.0.1:1883")).setClientIdPrefix("job")
                .setDeserializer(MqttDeserializationSchema.payload(new SimpleStringSchema()));
    }

    /** "reader:clientId" of every assignment, in order. */
    private static List<String> assigned(MockSplitEnumeratorContext<MqttSubscriptionSplit> context) {
        List<String> out = new ArrayList<>();
        for (SplitsAssignment<MqttSubscriptionSplit> assignment : context.getSplitsAssignmentSequence()) {
            assignment.assignment().forEach((reader, splits) -> splits.forEach(s -> out.add(reader + ":" + s.clientId())));
        }
        return out;
    }
}
