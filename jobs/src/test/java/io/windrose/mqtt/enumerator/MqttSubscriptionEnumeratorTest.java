package io.windrose.mqtt.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.mqtt.MqttConnectionOptions;
import io.windrose.mqtt.MqttSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttSubscriptionEnumeratorTest {
    private static final List<String> FILTERS = List.of("a/#", "b/#", "c/#");

    @Test
    void sharedSubscriptionsGiveEveryReaderEveryFilterUnderItsOwnStableClientId() {
        MqttConnectionOptions options = MqttSource.builder().setClientIdPrefix("job").setSharedGroup("g")
                .addTopicFilters(FILTERS).build().options();
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).clientId()).isEqualTo("job-1");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).subscriptions())
                .containsExactly("$share/g/a/#", "$share/g/b/#", "$share/g/c/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 0, 1).subscriptions()).containsExactlyElementsOf(FILTERS);
    }

    @Test
    void withoutSharedSubscriptionsTheFiltersAreDealtOutAndSpareReadersGetNone() {
        MqttConnectionOptions options = MqttSource.builder().setSharedSubscription(false).addTopicFilters(FILTERS)
                .build().options();
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 0, 2).subscriptions()).containsExactly("a/#", "c/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 1, 2).subscriptions()).containsExactly("b/#");
        assertThat(MqttSubscriptionEnumerator.splitFor(options, 3, 4).subscriptions()).isEmpty();
    }
}
