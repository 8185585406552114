package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.deadletter.DeadLetterReason;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Picks a payload's numeric fields: from the whole payload or the configured paths, nested objects flattened with the
 * separator ({@code {"ENERGY":{"Power":5}}} → {@code ENERGY_Power}; below a path, names are relative to it), then
 * include/exclude by name (globs with {@code *}) and renames. Strings, arrays and other values are skipped, unless
 * numeric strings or booleans are turned on. A NaN or infinite value makes the reading a NON_FINITE dead letter.
 */
public final class FieldMapping implements Serializable {
    private static final long serialVersionUID = 1L;
    /** More fields than this in one reading make it a TOO_LARGE dead letter (it would bloat every window's state). */
    public static final int MAX_FIELDS = 1_000;

    private final List<PayloadPath> paths;
    private final String separator;
    private final List<Pattern> include;
    private final List<Pattern> exclude;
    private final Map<String, String> rename;
    private final boolean numericStrings;
    private final boolean booleans;
    private final Set<String> reserved;

    /**
     * @param reserved flattened names that are not fields when the whole payload is read (the sensor id and timestamp)
     */
    public FieldMapping(List<PayloadPath> paths, String separator, List<String> include, List<String> exclude,
            Map<String, String> rename, boolean numericStrings, boolean booleans, Set<String> reserved) {
        this.paths = List.copyOf(paths);
        this.separator = separator;
        this.include = include.stream().map(FieldMapping::glob).toList();
        this.exclude = exclude.stream().map(FieldMapping::glob).toList();
        this.rename = new LinkedHashMap<>(rename);
        this.numericStrings = numericStrings;
        this.booleans = booleans;
        this.reserved = Set.copyOf(reserved);
    }

    public Map<String, Double> fields(JsonNode root) throws DecodeException {
        Map<String, Double> fields = new HashMap<>();
        if (paths.isEmpty()) {
            flatten(root, null, fields, true);
        } else {
            for (PayloadPath path : paths) {
                JsonNode node = path.resolve(root);
                if (node.isObject()) {
                    flatten(node, null, fields, false);
                } else if (!node.isMissingNode()) {
                    leaf(path.lastSegment(), node, fields);
                }
            }
        }
        return fields;
    }

    /** Whether a field named so (before renaming) is kept. */
    public boolean keeps(String name) {
        // plain loops, no streams: asked for every field of every message (a stream here was 11 % of the source task)
        if (!include.isEmpty() && !matchesAny(include, name)) {
            return false;
        }
        return exclude.isEmpty() || !matchesAny(exclude, name);
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** The name a kept field is written under. */
    public String renamed(String name) {
        return rename.getOrDefault(name, name);
    }

    private void flatten(JsonNode object, String prefix, Map<String, Double> fields, boolean fromRoot)
            throws DecodeException {
        Iterator<Map.Entry<String, JsonNode>> members = object.fields();
        while (members.hasNext()) {
            Map.Entry<String, JsonNode> member = members.next();
            String name = prefix == null ? member.getKey() : prefix + separator + member.getKey();
            JsonNode value = member.getValue();
            if (value.isObject()) {
                flatten(value, name, fields, fromRoot);
            } else if (!(fromRoot && reserved.contains(name))) {
                leaf(name, value, fields);
            }
        }
    }

    /** Whether fields come from the whole payload (no paths configured). */
    boolean wholePayload() {
        return paths.isEmpty();
    }

    String separator() {
        return separator;
    }

    /** Whether a flattened name of the whole payload is the sensor id or the timestamp, not a field. */
    boolean reserved(String name) {
        return reserved.contains(name);
    }

    /** Adds a value named so, when it is a number and the name is kept; throws for non-finite values and too many. */
    void leaf(String name, JsonNode value, Map<String, Double> fields) throws DecodeException {
        Double number = NumericValues.of(value, numericStrings, booleans);
        if (number == null || !keeps(name)) {
            return;
        }
        if (!Double.isFinite(number)) {
            throw new DecodeException(DeadLetterReason.NON_FINITE, "field '" + name + "' is " + number);
        }
        if (fields.size() >= MAX_FIELDS) {
            throw new DecodeException(DeadLetterReason.TOO_LARGE, "more than " + MAX_FIELDS + " numeric fields");
        }
        fields.putIfAbsent(renamed(name), number);
    }

    private static Pattern glob(String glob) {
        return Pattern.compile(Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
    }
}
