package io.windrose.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.schema.SensorReading;
import java.io.IOException;

/**
 * Format {@code json}: one JSON object per message. {@code NaN} and {@code Infinity} literals (as Python's json module
 * writes them) are read so that they become NON_FINITE dead letters rather than MALFORMED ones.
 */
public final class JsonPayloadDecoder implements PayloadDecoder {
    private static final long serialVersionUID = 1L;
    // a reader made once (ObjectMapper.readTree resolves the target type on every call) and the exact fast double
    // parser (Jackson's default one took 5 % of the source task in the e2e profile)
    private static final ObjectReader READER = JsonMapper.builder(new JsonFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    private final TreeMapping mapping;
    private final JsonStreamMapping stream;

    public JsonPayloadDecoder(TreeMapping mapping) {
        this(mapping, true);
    }

    /** @param streaming whether payloads the tree need not see are read in one pass ({@link JsonStreamMapping}) */
    JsonPayloadDecoder(TreeMapping mapping, boolean streaming) {
        this.mapping = mapping;
        this.stream = streaming ? JsonStreamMapping.of(mapping) : null;
    }

    @Override
    public SensorReading decode(byte[] payload, TopicMatch match) throws DecodeException {
        SensorReading reading = stream == null ? null : stream.read(payload, match);
        return reading != null ? reading : decodeTree(payload, match);
    }

    private SensorReading decodeTree(byte[] payload, TopicMatch match) throws DecodeException {
        JsonNode root;
        try {
            root = READER.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new DecodeException(DeadLetterReason.MALFORMED, "empty payload");
        }
        return mapping.reading(root, match);
    }
}
