package io.windrose.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;

/** Avro values as JSON trees: records and maps → objects, arrays → arrays, enums → text, timestamps → ISO text. */
public final class AvroTrees {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroTrees() {}

    /** @param bytesAsText bytes (and fixed) as UTF-8 text, else null (not a value a reading can use) */
    public static JsonNode tree(Object value, boolean bytesAsText) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof GenericRecord record) {
            ObjectNode object = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                object.set(field.name(), tree(record.get(field.pos()), bytesAsText));
            }
            return object;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(k.toString(), tree(v, bytesAsText)));
            return object;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(tree(item, bytesAsText)));
            return array;
        }
        if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float || value instanceof Double) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>
                || value instanceof Instant) {
            return NODES.textNode(value.toString());
        }
        if (bytesAsText && value instanceof ByteBuffer bytes) {
            return NODES.textNode(StandardCharsets.UTF_8.decode(bytes.duplicate()).toString());
        }
        return NODES.nullNode();
    }
}
