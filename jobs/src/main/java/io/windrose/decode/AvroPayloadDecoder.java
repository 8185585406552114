package io.windrose.decode;

import io.windrose.avro.AvroTrees;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Format {@code avro}: Avro binary with one configured writer schema, or Avro single-object encoding
 * ({@code C3 01}, the schema's CRC-64-AVRO fingerprint, the body) resolved against the configured schemas and
 * Windrose's own. The record is then mapped like JSON: records and maps are objects, so paths, flattening and
 * timestamps work the same (a timestamp-millis field is an epoch-ms number).
 */
public final class AvroPayloadDecoder implements PayloadDecoder {
    private static final long serialVersionUID = 1L;

    private final boolean singleObject;
    private final List<String> schemaJson;
    private final TreeMapping mapping;
    private transient Map<Long, GenericDatumReader<GenericRecord>> byFingerprint;
    private transient GenericDatumReader<GenericRecord> binaryReader;
    private transient BinaryDecoder decoder;

    /** @param schemas the writer schemas; exactly one for binary encoding */
    public AvroPayloadDecoder(boolean singleObject, List<Schema> schemas, TreeMapping mapping) {
        if (!singleObject && schemas.size() != 1) {
            throw new IllegalArgumentException("binary Avro needs exactly one writer schema, got " + schemas.size());
        }
        this.singleObject = singleObject;
        this.schemaJson = schemas.stream().map(Schema::toString).toList();
        this.mapping = mapping;
    }

    @Override
    public SensorReading decode(byte[] payload, TopicMatch match) throws DecodeException {
        GenericDatumReader<GenericRecord> reader;
        int offset = 0;
        if (singleObject) {
            if (payload.length < 10 || payload[0] != (byte) 0xC3 || payload[1] != 0x01) {
                throw new DecodeException(DeadLetterReason.MALFORMED,
                        "not Avro single-object encoding (expected C3 01 and an 8-byte schema fingerprint)");
            }
            long fingerprint = 0;
            for (int i = 9; i >= 2; i--) {
                fingerprint = (fingerprint << 8) | (payload[i] & 0xFF);
            }
            reader = readers().get(fingerprint);
            if (reader == null) {
                throw new DecodeException(DeadLetterReason.UNKNOWN_SCHEMA, String.format(
                        "no configured schema has the fingerprint %016x (add its .avsc to avro.schemas)", fingerprint));
            }
            offset = 10;
        } else {
            reader = binaryReader();
        }
        GenericRecord record;
        try {
            decoder = DecoderFactory.get().binaryDecoder(payload, offset, payload.length - offset, decoder);
            BoundedAvroDecoder bounded = new BoundedAvroDecoder(decoder);
            record = reader.read(null, bounded);
            if (!bounded.isEnd()) {
                throw new DecodeException(DeadLetterReason.MALFORMED, "bytes left over after the Avro record "
                        + reader.getSchema().getFullName());
            }
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "not a valid " + reader.getSchema().getFullName()
                    + " record: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        return mapping.reading(AvroTrees.tree(record, false), match);
    }

    private Map<Long, GenericDatumReader<GenericRecord>> readers() {
        if (byFingerprint == null) {
            Map<Long, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
            for (String json : schemaJson) {
                Schema schema = new Schema.Parser().parse(json);
                readers.put(SchemaNormalization.parsingFingerprint64(schema), new GenericDatumReader<>(schema));
            }
            byFingerprint = readers;
        }
        return byFingerprint;
    }

    private GenericDatumReader<GenericRecord> binaryReader() {
        if (binaryReader == null) {
            binaryReader = new GenericDatumReader<>(new Schema.Parser().parse(schemaJson.get(0)));
        }
        return binaryReader;
    }
}
