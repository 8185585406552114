package io.windrose.flink.connector.mqtt.source.split;

import java.util.List;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * What one reader subscribes to, and under which client id. MQTT has no offsets, so a split carries no progress:
 * the broker's session (and, later, checkpoint-tied acks) holds what has not been delivered.
 */
public final class MqttSubscriptionSplit implements SourceSplit {
    private final String clientId;
    private final List<String> subscriptions;

    public MqttSubscriptionSplit(String clientId, List<String> subscriptions) {
        this.clientId = clientId;
        this.subscriptions = List.copyOf(subscriptions);
    }

    /** The split id is the client id: one split per reader subtask. */
    @Override
    public String splitId() {
        return clientId;
    }

    public String clientId() {
        return clientId;
    }

    /** Topic filters as sent in SUBSCRIBE, shared ({@code $share/group/filter}) when readers share the load. */
    public List<String> subscriptions() {
        return subscriptions;
    }

    @Override
    public String toString() {
        return "MqttSubscriptionSplit{" + clientId + " " + subscriptions + "}";
    }
}
