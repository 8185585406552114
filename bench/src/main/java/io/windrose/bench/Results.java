package io.windrose.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects figures: one JSON line per figure on stdout and in a .jsonl file, then a summary table. */
final class Results {
    private final List<Map<String, Object>> figures = new ArrayList<>();
    private final Path jsonl;
    private int printed;

    Results(Path jsonl) {
        this.jsonl = jsonl;
    }

    /** Adds a figure and prints it at once (a run stopped later keeps it). */
    Map<String, Object> add(String scenario, Object... keyValues) {
        Map<String, Object> figure = new LinkedHashMap<>();
        figure.put("scenario", scenario);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            figure.put((String) keyValues[i], keyValues[i + 1]);
        }
        figures.add(figure);
        flush();
        return figure;
    }

    private void flush() {
        if (printed >= figures.size()) {
            return;
        }
        Map<String, Object> figure = figures.get(printed++);
        String line = json(figure);
        System.out.println(line);
        System.out.flush();
        try {
            Files.writeString(jsonl, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        flush();
    }

    List<Map<String, Object>> figures() {
        flush();
        return figures;
    }

    static String json(Map<String, Object> figure) {
        StringBuilder out = new StringBuilder("{");
        figure.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(key).append("\":");
            if (value instanceof Number n) {
                out.append(n instanceof Double || n instanceof Float ? round(n.doubleValue()) : n.toString());
            } else if (value instanceof Boolean b) {
                out.append(b);
            } else if (value == null) {
                out.append("null");
            } else {
                out.append('"').append(value.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        });
        return out.append('}').toString();
    }

    static String round(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.3f", value);
    }

    String summary() {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-28s %14s %10s  %s%n", "scenario", "rate/s", "ratio", "other"));
        for (Map<String, Object> f : figures) {
            Object rate = f.getOrDefault("msgs_per_s", f.get("readings_per_s"));
            Object ratio = f.getOrDefault("ratio_to_broker", f.getOrDefault("ratio_to_baseline", f.get("ratio_to_in_job")));
            StringBuilder other = new StringBuilder();
            f.forEach((k, v) -> {
                if (!List.of("scenario", "msgs_per_s", "readings_per_s", "ratio_to_broker", "ratio_to_baseline",
                        "ratio_to_in_job").contains(k)) {
                    other.append(k).append('=').append(v instanceof Double d ? round(d) : v).append(' ');
                }
            });
            table.append(String.format(Locale.ROOT, "%-28s %14s %10s  %s%n", f.get("scenario"),
                    rate == null ? "" : round(((Number) rate).doubleValue()),
                    ratio == null ? "" : round(((Number) ratio).doubleValue()), other.toString().trim()));
        }
        return table.toString();
    }
}
