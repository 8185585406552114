package io.windrose.decode;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topic template such as {@code sensors/{site}/{sensor}}: each {@code {name}} captures one topic level as a tag,
 * one {@code {name...}} (or {@code {name…}}) captures one or more levels joined by {@code /}. The MQTT filter it
 * implies replaces a one-level capture with {@code +} and a multi-level capture (and all after it) with {@code #}.
 */
public final class TopicTemplate implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String template;
    private final String[] levels;
    private final String[] captures; // null where the level is literal
    private final int multi; // index of the multi-level capture, -1 if none

    private TopicTemplate(String template, String[] levels, String[] captures, int multi) {
        this.template = template;
        this.levels = levels;
        this.captures = captures;
        this.multi = multi;
    }

    /** Parses a template; throws IllegalArgumentException saying what is wrong. */
    public static TopicTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("expected a topic template such as sensors/{site}/{sensor}");
        }
        String[] levels = template.split("/", -1);
        String[] captures = new String[levels.length];
        List<String> seen = new ArrayList<>();
        int multi = -1;
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.startsWith("{") && level.endsWith("}")) {
                String name = level.substring(1, level.length() - 1);
                boolean many = name.endsWith("...") || name.endsWith("…");
                if (many) {
                    name = name.substring(0, name.length() - (name.endsWith("…") ? 1 : 3));
                    if (multi >= 0) {
                        throw new IllegalArgumentException("only one multi-level capture {name...} per template");
                    }
                    multi = i;
                }
                if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                    throw new IllegalArgumentException("capture '" + level
                            + "' must be {name} or {name...} with letters, digits, _ or -");
                }
                if (seen.contains(name)) {
                    throw new IllegalArgumentException("capture {" + name + "} appears twice");
                }
                seen.add(name);
                captures[i] = name;
            } else if (level.contains("{") || level.contains("}") || level.contains("+") || level.contains("#")) {
                throw new IllegalArgumentException("level '" + level + "' must be literal text or a whole {name} capture");
            }
        }
        return new TopicTemplate(template, levels, captures, multi);
    }

    /** The MQTT topic filter that matches every topic this template can match (and, after a {name...}, more). */
    public String toFilter() {
        List<String> filter = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            if (i == multi) {
                filter.add("#");
                break;
            }
            filter.add(captures[i] != null ? "+" : levels[i]);
        }
        return String.join("/", filter);
    }

    public boolean hasCapture(String name) {
        for (String capture : captures) {
            if (name.equals(capture)) {
                return true;
            }
        }
        return false;
    }

    /** The captured values by name when the topic fits this template. */
    public Optional<Map<String, String>> match(String topic) {
        if (multi >= 0) {
            return matchMulti(topic);
        }
        Map<String, String> values = null;
        int start = 0;
        for (int i = 0; i < levels.length; i++) {
            int end = topic.indexOf('/', start);
            boolean lastLevel = i == levels.length - 1;
            if (lastLevel != (end < 0)) {
                return Optional.empty(); // more or fewer levels than the template
            }
            if (end < 0) {
                end = topic.length();
            }
            if (captures[i] == null) {
                if (!topic.regionMatches(start, levels[i], 0, levels[i].length()) || end - start != levels[i].length()) {
                    return Optional.empty();
                }
            } else {
                if (end == start) {
                    return Optional.empty();
                }
                if (values == null) {
                    values = new HashMap<>(4);
                }
                values.put(captures[i], topic.substring(start, end));
            }
            start = end + 1;
        }
        return Optional.of(values == null ? Collections.emptyMap() : values);
    }

    private Optional<Map<String, String>> matchMulti(String topic) {
        String[] parts = topic.split("/", -1);
        int after = levels.length - multi - 1; // levels after the multi-level capture
        if (parts.length < levels.length) {
            return Optional.empty();
        }
        Map<String, String> values = new HashMap<>(4);
        for (int i = 0; i < multi; i++) {
            if (!level(i, parts[i], values)) {
                return Optional.empty();
            }
        }
        for (int k = 0; k < after; k++) {
            if (!level(levels.length - 1 - k, parts[parts.length - 1 - k], values)) {
                return Optional.empty();
            }
        }
        List<String> middle = List.of(parts).subList(multi, parts.length - after);
        if (middle.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        values.put(captures[multi], String.join("/", middle));
        return Optional.of(values);
    }

    private boolean level(int i, String part, Map<String, String> values) {
        if (captures[i] == null) {
            return levels[i].equals(part);
        }
        if (part.isEmpty()) {
            return false;
        }
        values.put(captures[i], part);
        return true;
    }

    @Override
    public String toString() {
        return template;
    }
}
