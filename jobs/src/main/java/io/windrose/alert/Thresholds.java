package io.windrose.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A threshold as written in a rule: one number (for the rule's {@code level}) or one number per level, e.g.
 * {@code {warning: 30, critical: 40}}.
 */
public final class Thresholds implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Double single;
    private final EnumMap<Level, Double> perLevel;

    private Thresholds(Double single, EnumMap<Level, Double> perLevel) {
        this.single = single;
        this.perLevel = perLevel;
    }

    @JsonCreator
    static Thresholds parse(JsonNode node) {
        if (node.isNumber()) {
            return new Thresholds(node.doubleValue(), null);
        }
        if (node.isObject()) {
            EnumMap<Level, Double> levels = new EnumMap<>(Level.class);
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                Level level = null;
                for (Level l : Level.values()) {
                    if (l.toString().equals(entry.getKey())) {
                        level = l;
                    }
                }
                if (level == null || !entry.getValue().isNumber()) {
                    throw new IllegalArgumentException("expected a number or numbers per level such as {warning: 30,"
                            + " critical: 40} (levels: info, warning, critical), got " + node);
                }
                levels.put(level, entry.getValue().doubleValue());
            }
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("expected at least one level's threshold, e.g. {warning: 30}");
            }
            return new Thresholds(null, levels);
        }
        throw new IllegalArgumentException("expected a number or numbers per level such as {warning: 30, critical: 40},"
                + " got " + node);
    }

    /** One number for the single level {@code level}. */
    public static Thresholds of(double value) {
        return new Thresholds(value, null);
    }

    /** The threshold per level, the single number going to {@code defaultLevel}. */
    EnumMap<Level, Double> byLevel(Level defaultLevel) {
        if (perLevel != null) {
            return new EnumMap<>(perLevel);
        }
        EnumMap<Level, Double> levels = new EnumMap<>(Level.class);
        levels.put(defaultLevel, single);
        return levels;
    }

    /** As written: the number, or the levels. */
    @JsonValue
    Object written() {
        if (single != null) {
            return single;
        }
        Map<String, Double> written = new java.util.LinkedHashMap<>();
        perLevel.forEach((level, value) -> written.put(level.toString(), value));
        return written;
    }

    @Override
    public String toString() {
        return String.valueOf(written());
    }
}
