package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.Serializable;

/** A path into a payload such as {@code ENERGY.Power} or {@code values.0}: object members and array indexes by dots. */
public final class PayloadPath implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String text;
    private final String[] segments;

    private PayloadPath(String text, String[] segments) {
        this.text = text;
        this.segments = segments;
    }

    /** Parses {@code a.b.c}; throws IllegalArgumentException saying what is wrong. */
    public static PayloadPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a payload path such as temperature or ENERGY.Power");
        }
        String[] segments = text.split("\\.", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("path '" + text + "' has an empty segment; write a.b.c");
            }
        }
        return new PayloadPath(text, segments);
    }

    /** The node at this path, or a missing node. */
    public JsonNode resolve(JsonNode root) {
        JsonNode node = root;
        for (String segment : segments) {
            if (node.isObject()) {
                node = node.get(segment);
            } else if (node.isArray() && isIndex(segment)) {
                node = node.get(Integer.parseInt(segment));
            } else {
                return MissingNode.getInstance();
            }
            if (node == null) {
                return MissingNode.getInstance();
            }
        }
        return node;
    }

    /** The segments joined by {@code separator}: the name a flattened member at this path has. */
    public String flatName(String separator) {
        return String.join(separator, segments);
    }

    int length() {
        return segments.length;
    }

    String segment(int i) {
        return segments[i];
    }

    /** Whether a segment could be an array index (all digits). */
    boolean mayIndex() {
        for (String segment : segments) {
            if (isIndex(segment)) {
                return true;
            }
        }
        return false;
    }

    public String lastSegment() {
        return segments[segments.length - 1];
    }

    private static boolean isIndex(String segment) {
        return segment.length() <= 9 && segment.chars().allMatch(Character::isDigit);
    }

    @Override
    public String toString() {
        return text;
    }
}
