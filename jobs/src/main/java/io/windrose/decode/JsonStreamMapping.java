package io.windrose.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.windrose.schema.SensorReading;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a JSON payload into a reading in one pass over Jackson's tokens, without building its tree (the tree was 42 %
 * of the source task in the e2e profile), for a route that takes its fields from the whole payload and whose sensor and
 * timestamp paths name object members only. It gives up (null) on anything else: a payload that is not one object, a
 * member name twice, an array anywhere, an object where the sensor id or timestamp is, and every payload that would
 * become a dead letter; {@link JsonPayloadDecoder} then decodes it through the tree, whose result or dead letter is the
 * reference. When it gives a reading, it is the one the tree gives: it reads every value the tree reads, members in the
 * same order, nested objects flattened to the same names, numbers converted as the tree's nodes convert them.
 */
final class JsonStreamMapping implements Serializable {
    private static final long serialVersionUID = 1L;
    // the tree reader's features, and duplicate names refused (the tree keeps the last value: such payloads go there)
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final PayloadPath sensorPath;
    private final PayloadPath timePath;
    private final TreeMapping tree;

    private JsonStreamMapping(TreeMapping tree) {
        this.tree = tree;
        this.sensorPath = tree.sensorPath();
        this.timePath = tree.timestamp().path();
    }

    /** The streaming form of {@code tree}, or null when the route needs the tree (field paths, array indexes). */
    static JsonStreamMapping of(TreeMapping tree) {
        boolean indexes = tree.sensorPath().mayIndex()
                || tree.timestamp().path() != null && tree.timestamp().path().mayIndex();
        return tree.fields().wholePayload() && !indexes ? new JsonStreamMapping(tree) : null;
    }

    /** The reading, or null when this payload is to be decoded through the tree. */
    SensorReading read(byte[] payload, TopicMatch match) {
        try (JsonParser parser = FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Found found = new Found();
            // with the sensor id from the topic the tree never looks at the sensor path: neither does this
            if (!object(parser, null, 0, match.sensorId() == null, timePath != null, found)
                    || parser.nextToken() != null) {
                return null;
            }
            String sensorId = match.sensorId() != null ? match.sensorId() : tree.sensorIdOf(found.sensor);
            long eventTime = tree.timestamp().eventTimeOf(found.time, match.receivedAt());
            return TreeMapping.reading(match, sensorId, eventTime, found.fields);
        } catch (IOException | DecodeException e) {
            return null; // malformed, or a dead letter: the tree decodes it and says why
        }
    }

    /**
     * The members of the object the parser is in, up to its end; false to give up. {@code onSensor}/{@code onTime}:
     * whether the object is on the sensor/timestamp path (its first {@code depth} segments).
     */
    private boolean object(JsonParser parser, String prefix, int depth, boolean onSensor, boolean onTime, Found found)
            throws IOException, DecodeException {
        FieldMapping fields = tree.fields();
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken token = parser.nextToken();
            String flat = prefix == null ? name : prefix + fields.separator() + name;
            boolean sensorHere = onSensor && depth < sensorPath.length() && sensorPath.segment(depth).equals(name);
            boolean timeHere = onTime && depth < timePath.length() && timePath.segment(depth).equals(name);
            if (token == JsonToken.START_OBJECT) {
                if (sensorHere && depth == sensorPath.length() - 1 || timeHere && depth == timePath.length() - 1
                        || !object(parser, flat, depth + 1, sensorHere, timeHere, found)) {
                    return false; // an object where the sensor id or timestamp is expected: a dead letter
                }
            } else if (token == JsonToken.START_ARRAY) {
                // arrays hold no fields, but the tree reads (and so checks) every value in them: the tree decides
                return false;
            } else {
                // every value made into the tree's node for it (a string decoded, its UTF-8 checked, as the tree does)
                JsonNode value = node(parser);
                if (sensorHere && depth == sensorPath.length() - 1) {
                    found.sensor = value;
                }
                if (timeHere && depth == timePath.length() - 1) {
                    found.time = value;
                }
                if (!fields.reserved(flat)) {
                    fields.leaf(flat, value, found.fields);
                }
            }
        }
        return true;
    }

    /** The parser's current scalar as the tree's node for it (as Jackson's JsonNodeDeserializer makes it). */
    private static JsonNode node(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> IntNode.valueOf(parser.getIntValue());
                case LONG -> LongNode.valueOf(parser.getLongValue());
                default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> DoubleNode.valueOf(parser.getDoubleValue());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> MissingNode.getInstance();
        };
    }

    /** What one pass found: the nodes at the sensor and timestamp paths, and the fields. */
    private static final class Found {
        JsonNode sensor = MissingNode.getInstance();
        JsonNode time = MissingNode.getInstance();
        final Map<String, Double> fields = new HashMap<>();
    }
}
