package io.windrose.localcluster.sparkplug;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.UncheckedIOException;

/**
 * One MQTT message of a Sparkplug edge node, with the QoS and retain flag the specification gives its type: QoS 0 and
 * not retained for births, data and deaths published by the node; QoS 1 and not retained for the NDEATH registered as
 * the MQTT will (sections 6.4.x and 5.x of Eclipse Sparkplug 3.0).
 */
public record SparkplugMessage(Topic topic, byte[] payload, int qos, boolean retain) {

    /** The payload read back (for logs and tests). */
    public Payload decoded() {
        try {
            return Payload.decode(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return topic + " " + decoded();
    }
}
