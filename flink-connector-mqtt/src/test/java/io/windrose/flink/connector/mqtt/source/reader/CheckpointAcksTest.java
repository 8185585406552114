package io.windrose.flink.connector.mqtt.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointAcksTest {
    @Test
    void acksWaitForTheCheckpointThatCoversThemAndLateNotificationsCoverEarlierOnes() {
        CheckpointAcks acks = new CheckpointAcks();
        List<String> sent = new ArrayList<>();
        for (String id : List.of("a", "b")) {
            acks.received();
            acks.add(() -> sent.add(id));
        }
        acks.snapshot(1);
        acks.received();
        acks.add(() -> sent.add("c")); // after barrier 1
        acks.snapshot(2);
        acks.received(); // queued, not emitted yet
        assertThat(acks.unacked()).isEqualTo(4);

        assertThat(acks.complete(1)).isEqualTo(2);
        assertThat(sent).containsExactly("a", "b");
        // checkpoint 2's notification never comes; 3 completes and covers it
        acks.snapshot(3);
        assertThat(acks.complete(3)).isEqualTo(1);
        assertThat(sent).containsExactly("a", "b", "c");
        assertThat(acks.unacked()).isEqualTo(1);
        assertThat(acks.complete(3)).isZero();
    }
}
