package io.windrose.action;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Prometheus label names: what Alertmanager accepts, and tag keys made into such names. */
public final class AlertmanagerLabels {
    /** The labels Windrose sets on every alert: its identity with the tags and the configured labels. */
    public static final Set<String> RESERVED = Set.of("alertname", "sensor", "level");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private AlertmanagerLabels() {}

    /** A valid Prometheus label name, not one of the reserved {@code __} names. */
    public static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches() && !name.startsWith("__");
    }

    /**
     * {@code name} as a label name: every character other than a letter, digit or _ becomes _, a leading digit gets a
     * _ in front, a leading __ loses one (e.g. {@code room.no} → {@code room_no}, {@code 1st} → {@code _1st}).
     */
    public static String sanitize(String name) {
        String s = name.replaceAll("[^a-zA-Z0-9_]", "_");
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            s = "_" + s;
        }
        while (s.startsWith("__")) {
            s = s.substring(1);
        }
        return s;
    }

    /** The tags as labels: names sanitized, empty values left out (Prometheus: an empty label is no label). */
    public static Map<String, String> fromTags(Map<String, String> tags) {
        Map<String, String> labels = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                labels.put(sanitize(k), v);
            }
        });
        return labels;
    }
}
