package io.windrose.reading;

import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Readings between the decode task and the keyed task, field by field. Flink's Avro serializer walks the schema per
 * record: in the e2e bench at QoS 0 writing took 13-45 % of the source task and reading 22-31 % of the keyed task (a
 * round trip of the bench's reading: 460 ns, here 295 ns). With this one the keyed task went from 4.2-4.5 to 2.7-3.3
 * µs per reading and the source task from 2.6 to 1.8-2.0 (four e2e runs). The names a fleet repeats (measurement, tag
 * names and values, field names) come back as the same String objects as in the reading before when their bytes are
 * the same: no new string, and its hash code already known to the maps the stages look it up in.
 *
 * <p>The same values as Avro's round trip: event time in milliseconds, maps as {@link HashMap}s. Not used for state
 * (state keeps its Avro serializers and their schema evolution).
 */
public final class SensorReadingSerializer extends TypeSerializer<SensorReading> {
    private static final long serialVersionUID = 1L;
    // the slots of the names a fleet repeats: the measurement, tag names and values by their position in the map
    // (slots 1-31: 15 tags), field names by theirs (32-63: 32 fields); past those, strings are not looked up
    private static final int MEASUREMENT = 0;
    private static final int TAGS = 1;
    private static final int FIELDS = 32;
    private static final int SLOTS = 64;

    private transient RecentStrings recent;
    private transient byte[] asciiBytes;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<SensorReading> duplicate() {
        return new SensorReadingSerializer(); // the recent strings are per thread
    }

    @Override
    public SensorReading createInstance() {
        return new SensorReading();
    }

    @Override
    public SensorReading copy(SensorReading from) {
        return new SensorReading(from.getMeasurement(), from.getSensorId(), new HashMap<>(from.getTags()),
                from.getEventTime(), new HashMap<>(from.getFields()), from.getTopic());
    }

    @Override
    public SensorReading copy(SensorReading from, SensorReading reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SensorReading reading, DataOutputView out) throws IOException {
        writeString(reading.getMeasurement(), out);
        writeString(reading.getSensorId(), out);
        Map<String, String> tags = reading.getTags();
        out.writeInt(tags.size());
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            writeString(tag.getKey(), out);
            writeString(tag.getValue(), out);
        }
        out.writeLong(reading.getEventTime().toEpochMilli());
        Map<String, Double> fields = reading.getFields();
        out.writeInt(fields.size());
        for (Map.Entry<String, Double> field : fields.entrySet()) {
            writeString(field.getKey(), out);
            out.writeDouble(field.getValue());
        }
        writeString(reading.getTopic(), out);
    }

    @Override
    public SensorReading deserialize(DataInputView in) throws IOException {
        RecentStrings strings = recent();
        String measurement = strings.read(in, MEASUREMENT);
        String sensorId = strings.read(in, RecentStrings.NONE);
        int tagCount = in.readInt();
        Map<String, String> tags = new HashMap<>(capacity(tagCount));
        for (int i = 0; i < tagCount; i++) {
            tags.put(strings.read(in, slot(TAGS + 2 * i, FIELDS)), strings.read(in, slot(TAGS + 2 * i + 1, FIELDS)));
        }
        Instant eventTime = Instant.ofEpochMilli(in.readLong());
        int fieldCount = in.readInt();
        Map<String, Double> fields = new HashMap<>(capacity(fieldCount));
        for (int i = 0; i < fieldCount; i++) {
            fields.put(strings.read(in, slot(FIELDS + i, SLOTS)), in.readDouble());
        }
        return new SensorReading(measurement, sensorId, tags, eventTime, fields, strings.read(in, RecentStrings.NONE));
    }

    @Override
    public SensorReading deserialize(SensorReading reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SensorReadingSerializer;
    }

    @Override
    public int hashCode() {
        return SensorReadingSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SensorReading> snapshotConfiguration() {
        return new Snapshot();
    }

    private RecentStrings recent() {
        if (recent == null) {
            recent = new RecentStrings(SLOTS);
        }
        return recent;
    }

    private static int slot(int slot, int end) {
        return slot < end ? slot : RecentStrings.NONE;
    }

    private static int capacity(int size) {
        return (int) (size / 0.75f) + 1;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): the low byte of each char, as ASCII is
    private void writeString(String value, DataOutputView out) throws IOException {
        int length = value.length();
        if (ascii(value)) { // the usual case: one byte per char, copied into a buffer kept for the next string
            // FOUND: Flink 2.2.1's DataOutputSerializer.writeBytes(String) advances its position twice (writeByte per
            // char, then + length again): what follows lands past a gap. FLINK-23598; its fix (PR 23563) was closed
            // unmerged. Hence the buffer.
            if (asciiBytes == null || asciiBytes.length < length) {
                asciiBytes = new byte[Math.max(length, 64)];
            }
            value.getBytes(0, length, asciiBytes, 0);
            out.writeInt(length);
            out.write(asciiBytes, 0, length);
        } else {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    private static boolean ascii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The serializer's configuration: none (the format is fixed; a new format gets a new version). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SensorReading> {
        public Snapshot() {
            super(SensorReadingSerializer::new);
        }
    }

    /** UTF-8 strings read into the String read last in the same slot when the bytes are the same. */
    private static final class RecentStrings {
        static final int NONE = -1;
        private final byte[][] bytes;
        private final int[] lengths;
        private final String[] strings;
        private byte[] buffer = new byte[64];

        RecentStrings(int slots) {
            bytes = new byte[slots][];
            lengths = new int[slots];
            strings = new String[slots];
        }

        String read(DataInputView in, int slot) throws IOException {
            int length = in.readInt();
            if (length > buffer.length) {
                buffer = new byte[Math.max(length, 2 * buffer.length)];
            }
            in.readFully(buffer, 0, length);
            if (slot == NONE) {
                return new String(buffer, 0, length, StandardCharsets.UTF_8);
            }
            byte[] last = bytes[slot];
            if (last != null && lengths[slot] == length && Arrays.equals(last, 0, length, buffer, 0, length)) {
                return strings[slot];
            }
            if (last == null || last.length < length) {
                bytes[slot] = last = new byte[Math.max(length, 16)];
            }
            System.arraycopy(buffer, 0, last, 0, length);
            lengths[slot] = length;
            return strings[slot] = new String(buffer, 0, length, StandardCharsets.UTF_8);
        }
    }
}
