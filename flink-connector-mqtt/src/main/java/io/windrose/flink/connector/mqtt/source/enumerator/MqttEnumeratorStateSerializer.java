package io.windrose.flink.connector.mqtt.source.enumerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Serializes the enumerator's checkpoint. */
public final class MqttEnumeratorStateSerializer implements SimpleVersionedSerializer<MqttEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(MqttEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.assignedReaders().size());
            for (int reader : state.assignedReaders()) {
                out.writeInt(reader);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public MqttEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown MQTT enumerator state version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            Set<Integer> readers = new HashSet<>();
            for (int i = 0; i < n; i++) {
                readers.add(in.readInt());
            }
            return new MqttEnumeratorState(readers);
        }
    }
}
