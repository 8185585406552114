package io.windrose.flink.connector.mqtt.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MqttSubscriptionSplitSerializerTest {
    private final MqttSubscriptionSplitSerializer serializer = new MqttSubscriptionSplitSerializer();

    @Test
    void aSplitComesBackAsItWent() throws IOException {
        for (MqttSubscriptionSplit split : List.of(
                new MqttSubscriptionSplit("windrose-0", List.of("$share/windrose/sensors/+/+", "zigbee2mqtt/#")),
                new MqttSubscriptionSplit("jöb-ünïcode-3", List.of("plant/ä/+")),
                new MqttSubscriptionSplit("idle-2", List.of()))) {
            MqttSubscriptionSplit back = serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
            assertThat(back.clientId()).isEqualTo(split.clientId());
            assertThat(back.subscriptions()).isEqualTo(split.subscriptions());
            assertThat(back.splitId()).isEqualTo(split.splitId());
        }
    }

    @Test
    void anUnknownVersionIsRefused() throws IOException {
        byte[] bytes = serializer.serialize(new MqttSubscriptionSplit("c-0", List.of("a/#")));
        assertThat(serializer.getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> serializer.deserialize(2, bytes)).isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }
}
