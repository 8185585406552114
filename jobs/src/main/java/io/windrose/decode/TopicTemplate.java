package io.windrose.decode;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A topic template such as {@code sensors/{site}/{sensor}}: each {@code {name}} captures one topic level as a tag.
 * The MQTT filter it implies replaces every capture with {@code +}.
 */
public final class TopicTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String template;
    private final String[] levels;
    private final String[] captures; // null where the level is literal

    private TopicTemplate(String template, String[] levels, String[] captures) {
        this.template = template;
        this.levels = levels;
        this.captures = captures;
    }

    /** Parses a template; throws IllegalArgumentException saying what is wrong. */
    public static TopicTemplate parse(String template) {
        if (template == null || template.isEmpty()) {
            throw new IllegalArgumentException("expected a topic template such as sensors/{site}/{sensor}");
        }
        String[] levels = template.split("/", -1);
        String[] captures = new String[levels.length];
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.startsWith("{") && level.endsWith("}")) {
                String name = level.substring(1, level.length() - 1);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                    throw new IllegalArgumentException("capture '" + level + "' must be {name} with letters, digits, _ or -");
                }
                if (seen.contains(name)) {
                    throw new IllegalArgumentException("capture {" + name + "} appears twice");
                }
                seen.add(name);
                captures[i] = name;
            } else if (level.contains("{") || level.contains("}") || level.equals("+") || level.equals("#")) {
                throw new IllegalArgumentException("level '" + level + "' must be literal text or a whole {name} capture");
            }
        }
        return new TopicTemplate(template, levels, captures);
    }

    /** The MQTT topic filter that matches exactly the topics this template can match. */
    public String toFilter() {
        String[] filter = levels.clone();
        for (int i = 0; i < filter.length; i++) {
            if (captures[i] != null) {
                filter[i] = "+";
            }
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

    @Override
    public String toString() {
        return template;
    }
}
