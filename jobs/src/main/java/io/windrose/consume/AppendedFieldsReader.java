package io.windrose.consume;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads plain Avro binary values (no schema id on the wire) written by this or any earlier version of one of the
 * schemas module's records. Its schemas evolve only by appending fields with defaults, so a value of an earlier
 * version is the encoding of a prefix of the current fields: the reader tries the whole schema, then ever shorter
 * prefixes (down to the last field without a default), as the writer's schema, and takes the first that reads the
 * value to its last byte; fields the value has not got take their defaults. A value of the current version reads at
 * the first try.
 */
final class AppendedFieldsReader<T extends SpecificRecord> {
    /** Readers whose writer schema has all fields, then one fewer, ...: the versions a value may come from. */
    private final List<SpecificDatumReader<T>> readers = new ArrayList<>();
    private BinaryDecoder decoder;

    AppendedFieldsReader(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type); // the class's own, with its logical types' conversions
        Schema current = model.getSchema(type);
        List<Schema.Field> fields = current.getFields();
        int shortest = fields.size();
        while (shortest > 0 && fields.get(shortest - 1).hasDefaultValue()) {
            shortest--;
        }
        for (int count = fields.size(); count >= Math.max(shortest, 1); count--) {
            List<Schema.Field> prefix = new ArrayList<>();
            for (Schema.Field field : fields.subList(0, count)) {
                prefix.add(new Schema.Field(field, field.schema()));
            }
            Schema writer = count == fields.size() ? current
                    : Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, prefix);
            readers.add(new SpecificDatumReader<>(writer, current, model));
        }
    }

    /** The value of {@code bytes}; the error of reading it as the current version if no version reads it whole. */
    T read(byte[] bytes) throws IOException {
        Exception first = null;
        for (SpecificDatumReader<T> reader : readers) {
            try {
                decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                T value = reader.read(null, decoder);
                if (decoder.isEnd()) {
                    return value;
                }
                if (first == null) {
                    first = new IOException("bytes left after the record: another record, or more than one value");
                }
            } catch (IOException | RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first instanceof IOException io ? io : new IOException(first);
    }
}
