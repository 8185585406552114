package io.windrose.decode.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.windrose.deadletter.DeadLetterReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SparkplugTopicTest {

    @Test
    void nodeAndDeviceTopics() throws Exception {
        SparkplugTopic node = SparkplugTopic.parse("spBv1.0/plant-1/NDATA/edge-a");
        assertThat(node).isEqualTo(new SparkplugTopic(SparkplugMessageType.NDATA, "plant-1", "edge-a", null, null));
        assertThat(node.nodeKey()).isEqualTo("plant-1/edge-a");

        SparkplugTopic device = SparkplugTopic.parse("spBv1.0/plant-1/DBIRTH/edge-a/pump 3");
        assertThat(device.type()).isEqualTo(SparkplugMessageType.DBIRTH);
        assertThat(device.device()).isEqualTo("pump 3");
        assertThat(device.nodeKey()).isEqualTo("plant-1/edge-a");
    }

    @Test
    void everyMessageType() throws Exception {
        for (String t : new String[] {"NBIRTH", "NDEATH", "NDATA", "NCMD"}) {
            assertThat(SparkplugTopic.parse("spBv1.0/g/" + t + "/n").type().name()).isEqualTo(t);
        }
        for (String t : new String[] {"DBIRTH", "DDEATH", "DDATA", "DCMD"}) {
            assertThat(SparkplugTopic.parse("spBv1.0/g/" + t + "/n/d").type().name()).isEqualTo(t);
        }
    }

    @Test
    void hostState() throws Exception {
        SparkplugTopic state = SparkplugTopic.parse("spBv1.0/STATE/scada-1");
        assertThat(state.type()).isEqualTo(SparkplugMessageType.STATE);
        assertThat(state.hostId()).isEqualTo("scada-1");
        assertThat(state.type().isControl()).isTrue();
    }

    @Test
    void commandTopics() {
        assertThat(SparkplugTopic.commandTopic("g", "n", null)).isEqualTo("spBv1.0/g/NCMD/n");
        assertThat(SparkplugTopic.commandTopic("g", "n", "d")).isEqualTo("spBv1.0/g/DCMD/n/d");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "spBv1.0", "spBv1.0/g", "spBv1.0/g/NDATA", "spAv1.0/g/NDATA/n", "spBv1.0/g/NDATA/n/d",
        "spBv1.0/g/DDATA/n", "spBv1.0/g/NFOO/n", "spBv1.0/g/STATE/n", "spBv1.0//NDATA/n", "spBv1.0/g/NDATA/",
        "spBv1.0/g/DDATA/n/d/extra", "spBv1.0/+/NDATA/n", "spBv1.0/g/NDATA/#", "spBv1.0/STATE", "spBv1.0/STATE/h/x",
        "spBv1.0/g/ndata/n"})
    void notSparkplugTopics(String topic) {
        assertThatThrownBy(() -> SparkplugTopic.parse(topic))
                .isInstanceOfSatisfying(SparkplugException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.UNROUTED))
                .hasMessageContaining("not a Sparkplug B topic");
    }

    @Test
    void aTopicOfManyLevelsIsCutShort() {
        String deep = "spBv1.0/" + "x/".repeat(100_000);
        assertThatThrownBy(() -> SparkplugTopic.parse(deep)).hasMessageContaining("more than 5 levels");
    }
}
