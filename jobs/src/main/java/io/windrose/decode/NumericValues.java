package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns payload values into numbers as a route allows: numbers, optionally numeric strings and booleans. */
final class NumericValues {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private NumericValues() {}

    /** The value as a double, or null when it is not numeric under these rules (NaN or ±∞ are returned as they are). */
    static Double of(JsonNode node, boolean numericStrings, boolean booleans) {
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return booleans ? (node.booleanValue() ? 1.0 : 0.0) : null;
        }
        if (node.isTextual()) {
            return text(node.textValue(), numericStrings, booleans);
        }
        return null;
    }

    /** A number written as text ("21.5", " -3e2 ", "NaN"), or with {@code booleans} true/false/on/off; else null. */
    static Double text(String raw, boolean numbers, boolean booleans) {
        String text = raw.strip();
        if (numbers) {
            if (DECIMAL.matcher(text).matches()) {
                return Double.parseDouble(text);
            }
            if (NON_FINITE.matcher(text).matches()) {
                return Double.NaN;
            }
        }
        if (booleans) {
            switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "on" -> {
                    return 1.0;
                }
                case "false", "off" -> {
                    return 0.0;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }
}
