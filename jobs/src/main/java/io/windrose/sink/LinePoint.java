package io.windrose.sink;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * One InfluxDB point, written as line protocol exactly as influxdb-client-java's {@code Point} writes it (tags sorted by
 * key, the same escaping, empty tags and non-finite numbers left out, integers with {@code i}, time in milliseconds),
 * except for floats: {@code Point} formats each with a {@code NumberFormat} of 340 fraction digits, which took ~80 % of
 * the InfluxDB sink's time and ~19 % of the keyed task's in the e2e profile (a window point has 30 float fields); here
 * {@link Double#toString} gives the shortest text that reads back as the same double, in plain notation.
 */
public final class LinePoint {
    private final String measurement;
    private final TreeMap<String, String> tags = new TreeMap<>();
    private final Map<String, Object> fields = new TreeMap<>();
    private long timeMs;
    private boolean timed;

    private LinePoint(String measurement) {
        this.measurement = measurement;
    }

    public static LinePoint measurement(String measurement) {
        return new LinePoint(measurement);
    }

    public LinePoint addTag(String key, String value) {
        tags.put(key, value);
        return this;
    }

    /** A float field for Double and Float (and a double), an integer field for other numbers (and a long or int). */
    public LinePoint addField(String key, Number value) {
        fields.put(key, value);
        return this;
    }

    public LinePoint addField(String key, boolean value) {
        fields.put(key, value);
        return this;
    }

    public LinePoint addField(String key, String value) {
        fields.put(key, value);
        return this;
    }

    public LinePoint time(long epochMillis) {
        this.timeMs = epochMillis;
        this.timed = true;
        return this;
    }

    /** The line, or an empty string when no field has a value (InfluxDB takes no point without fields). */
    public String toLineProtocol() {
        StringBuilder line = new StringBuilder(64 + fields.size() * 24);
        escapeKey(line, measurement, false);
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (tag.getKey() == null || tag.getKey().isEmpty() || tag.getValue() == null || tag.getValue().isEmpty()) {
                continue;
            }
            line.append(',');
            escapeKey(line, tag.getKey(), true);
            line.append('=');
            escapeKey(line, tag.getValue(), true);
        }
        line.append(' ');
        int beforeFields = line.length();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            Object value = field.getValue();
            if (value == null || value instanceof Double d && !Double.isFinite(d)
                    || value instanceof Float f && !Float.isFinite(f)) {
                continue;
            }
            if (line.length() > beforeFields) {
                line.append(',');
            }
            escapeKey(line, field.getKey(), true);
            line.append('=');
            if (value instanceof Double || value instanceof Float) {
                appendFloat(line, ((Number) value).doubleValue());
            } else if (value instanceof Number) {
                line.append(((Number) value).longValue()).append('i');
            } else if (value instanceof Boolean) {
                line.append(value);
            } else {
                line.append('"');
                escapeValue(line, value.toString());
                line.append('"');
            }
        }
        if (line.length() == beforeFields) {
            return "";
        }
        if (timed) {
            line.append(' ').append(timeMs);
        }
        return line.toString();
    }

    static void appendFloat(StringBuilder line, double value) {
        String text = Double.toString(value);
        if (text.indexOf('E') >= 0) { // beyond [1e-3, 1e7): the same digits without the exponent
            text = new BigDecimal(text).toPlainString();
            if (text.indexOf('.') < 0) {
                text = text + ".0";
            }
        }
        line.append(text);
    }

    private static void escapeKey(StringBuilder line, String key, boolean escapeEquals) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                case ' ', ',' -> line.append('\\').append(c);
                case '=' -> {
                    if (escapeEquals) {
                        line.append('\\');
                    }
                    line.append(c);
                }
                default -> line.append(c);
            }
        }
    }

    private static void escapeValue(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
    }
}
