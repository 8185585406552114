package io.windrose.flink.connector.mqtt.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes {@link MqttSubscriptionSplit}s for checkpoints and split assignment. */
public final class MqttSubscriptionSplitSerializer implements SimpleVersionedSerializer<MqttSubscriptionSplit> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(MqttSubscriptionSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(split.clientId());
            out.writeInt(split.subscriptions().size());
            for (String subscription : split.subscriptions()) {
                out.writeUTF(subscription);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public MqttSubscriptionSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown MQTT split version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            String clientId = in.readUTF();
            int n = in.readInt();
            List<String> subscriptions = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                subscriptions.add(in.readUTF());
            }
            return new MqttSubscriptionSplit(clientId, subscriptions);
        }
    }
}
