package io.windrose.flink.connector.mqtt.source.enumerator;

import java.util.Set;
import java.util.TreeSet;

/** The reader subtasks that hold their subscription split as of a checkpoint. */
public final class MqttEnumeratorState {
    private final Set<Integer> assignedReaders;

    public MqttEnumeratorState(Set<Integer> assignedReaders) {
        this.assignedReaders = new TreeSet<>(assignedReaders);
    }

    public static MqttEnumeratorState empty() {
        return new MqttEnumeratorState(Set.of());
    }

    public Set<Integer> assignedReaders() {
        return assignedReaders;
    }
}
