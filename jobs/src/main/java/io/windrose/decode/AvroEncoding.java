package io.windrose.decode;

/** How Avro payloads carry their schema. Configuration form: {@code single-object}, {@code binary}. */
public enum AvroEncoding {
    /** C3 01, the schema's 8-byte CRC-64-AVRO fingerprint, the body: the schema is found by fingerprint. */
    SINGLE_OBJECT("single-object"),
    /** The body only: one configured writer schema. */
    BINARY("binary");

    private final String key;

    AvroEncoding(String key) {
        this.key = key;
    }

    @Override
    public String toString() {
        return key;
    }
}
