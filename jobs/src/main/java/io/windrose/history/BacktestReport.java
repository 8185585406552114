package io.windrose.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What each rule set's alert transitions over an interval add up to, per set, rule and level.
 *
 * <p>Figures of a row (rule, level):
 * <ul>
 *   <li>{@code raised}: transitions into this level — a first raise, or a level change while raised (an escalation or
 *       de-escalation, a RAISED with a {@code previousLevel}); {@code levelChanges} says how many of them were level
 *       changes. A RAISED at the level the alert already has (flapping starting or ending) is no raise.
 *   <li>{@code cleared}: CLEARED transitions, under the level the alert had when it cleared (as the live job's
 *       {@code alerts} measurement records them). A level change is not a clear of the level left: the alert did not
 *       end, it goes on at another level, and no "all clear" reached anyone. The stay at the level left ends there,
 *       though: so {@code raised} = {@code cleared} + left by a level change + {@code stillRaised}.
 *   <li>{@code timeInAlertMs}, {@code longestAlertMs}: the time spent at this level (summed; the longest single stay),
 *       from entering it to a clear or a change to another level; a stay still open at the interval's end counts up
 *       to {@code to}. The levels' times of a rule add up to the time the rule was raised at all.
 *   <li>{@code stillRaised}: stays at this level still open at {@code to}.
 *   <li>{@code flappingEpisodes}: runs of consecutive transitions of one (rule, sensor) marked flapping count as one
 *       episode (the alert held RAISED while it flapped), under the level of the run's first transition.
 *   <li>{@code sensors}: distinct sensors raised at this level.
 * </ul>
 * An alert already raised before the interval (its first transition here a level change or a clear) is counted from
 * {@code from}. Candidate rows carry their difference to the effective set's row of the same rule and level (candidate
 * minus effective), or "new" when the effective set has no such row.
 */
public final class BacktestReport {
    /** The set the candidate rows are compared with. */
    public static final String EFFECTIVE = "effective";
    public static final String CANDIDATE = "candidate";
    private static final List<String> LEVELS = List.of("info", "warning", "critical");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One set's figures of one rule and level. */
    public record Row(String set, String rule, String level, long raised, long levelChanges, long cleared,
            long stillRaised, long timeInAlertMs, long longestAlertMs, long flappingEpisodes, long sensors,
            Difference difference) {}

    /** A candidate row less the effective row of the same rule and level; {@code isNew}: there is none. */
    public record Difference(boolean isNew, long raised, long cleared, long sensors, long timeInAlertMs) {}

    private final Interval interval;
    private final List<Row> rows;
    private final Map<String, List<AlertEvent>> sets;

    private BacktestReport(Interval interval, List<Row> rows, Map<String, List<AlertEvent>> sets) {
        this.interval = interval;
        this.rows = rows;
        this.sets = sets;
    }

    /** The rows of the levels each set's rules reached in the interval. */
    public static BacktestReport of(Map<String, List<AlertEvent>> sets, Interval interval) {
        return of(sets, interval, Map.of());
    }

    /**
     * @param sets each set's transitions, each sensor's of a rule in the order they happened
     * @param levels per set, its rules and the levels each can raise: a rule that stayed quiet still has its rows, so
     *     a candidate that never fires shows what it would have saved
     */
    public static BacktestReport of(Map<String, List<AlertEvent>> sets, Interval interval,
            Map<String, Map<String, List<String>>> levels) {
        Map<String, Map<String, Map<String, Tally>>> tallies = new LinkedHashMap<>();
        for (Map.Entry<String, List<AlertEvent>> set : sets.entrySet()) {
            Map<String, Map<String, Tally>> byRule = new LinkedHashMap<>();
            levels.getOrDefault(set.getKey(), Map.of()).forEach((rule, ruleLevels) ->
                    ruleLevels.forEach(level -> tally(byRule, rule, level)));
            count(set.getValue(), interval, byRule);
            tallies.put(set.getKey(), byRule);
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Map<String, Tally>> effective = tallies.getOrDefault(EFFECTIVE, Map.of());
        tallies.forEach((set, byRule) -> byRule.forEach((rule, byLevel) -> {
            List<String> ordered = new ArrayList<>(byLevel.keySet());
            ordered.sort(Comparator.comparingInt(BacktestReport::levelOrder).thenComparing(Comparator.naturalOrder()));
            for (String level : ordered) {
                Tally t = byLevel.get(level);
                Difference difference = null;
                if (!set.equals(EFFECTIVE)) {
                    Tally e = effective.getOrDefault(rule, Map.of()).get(level);
                    difference = e == null ? new Difference(true, 0, 0, 0, 0) : new Difference(false,
                            t.raised - e.raised, t.cleared - e.cleared, t.sensors.size() - e.sensors.size(),
                            t.timeMs - e.timeMs);
                }
                rows.add(new Row(set, rule, level, t.raised, t.levelChanges, t.cleared, t.stillRaised, t.timeMs,
                        t.longestMs, t.flappingEpisodes, t.sensors.size(), difference));
            }
        }));
        return new BacktestReport(interval, List.copyOf(rows), sets);
    }

    public List<Row> rows() {
        return rows;
    }

    /** The figures of one level of one rule. */
    private static final class Tally {
        long raised;
        long levelChanges;
        long cleared;
        long stillRaised;
        long timeMs;
        long longestMs;
        long flappingEpisodes;
        final Set<String> sensors = new HashSet<>();

        void stay(long ms) {
            timeMs += ms;
            longestMs = Math.max(longestMs, ms);
        }
    }

    /** Where one (rule, sensor) is: its level (null: not raised), since when, flapping or not. */
    private static final class Track {
        String level;
        long since;
        boolean flapping;
    }

    private static Tally tally(Map<String, Map<String, Tally>> byRule, String rule, String level) {
        return byRule.computeIfAbsent(rule, r -> new LinkedHashMap<>()).computeIfAbsent(level, l -> new Tally());
    }

    private static void count(List<AlertEvent> events, Interval interval, Map<String, Map<String, Tally>> byRule) {
        long from = interval.from().toEpochMilli();
        Map<List<String>, Track> tracks = new LinkedHashMap<>();
        for (AlertEvent event : events) {
            String rule = event.getRule();
            String level = event.getLevel();
            long time = event.getEventTime().toEpochMilli();
            Track track = tracks.computeIfAbsent(List.of(rule, event.getMeasurement(), event.getSensorId()),
                    k -> new Track()); // a sensor id may be in two measurements: two alerts, as in the live job
            if (track.level == null && event.getPreviousLevel() != null) {
                // raised before the interval: counted from its start
                track.level = event.getPreviousLevel();
                track.since = from;
            }
            if (event.getFlapping() && !track.flapping) {
                tally(byRule, rule, level).flappingEpisodes++;
            }
            track.flapping = event.getFlapping();
            if (event.getState() == AlertState.CLEARED) {
                if (track.level != null) {
                    stay(byRule, rule, track.level, time - track.since);
                }
                tally(byRule, rule, level).cleared++;
                track.level = null;
            } else if (!level.equals(track.level)) {
                Tally t = tally(byRule, rule, level);
                t.raised++;
                t.sensors.add(event.getMeasurement() + "/" + event.getSensorId());
                if (track.level != null) {
                    t.levelChanges++;
                    stay(byRule, rule, track.level, time - track.since);
                }
                track.level = level;
                track.since = time;
            }
        }
        long to = interval.to().toEpochMilli();
        tracks.forEach((key, track) -> {
            if (track.level != null) {
                Tally t = tally(byRule, key.get(0), track.level);
                t.stay(Math.max(0, to - track.since));
                t.stillRaised++;
            }
        });
    }

    private static void stay(Map<String, Map<String, Tally>> byRule, String rule, String level, long stayMs) {
        tally(byRule, rule, level).stay(Math.max(0, stayMs));
    }

    private static int levelOrder(String level) {
        int i = LEVELS.indexOf(level);
        return i < 0 ? LEVELS.size() : i;
    }

    /** The rows as one JSON array, an object per set, rule and level. */
    public String json() {
        ArrayNode array = JSON.createArrayNode();
        for (Row row : rows) {
            ObjectNode o = array.addObject();
            o.put("set", row.set());
            o.put("rule", row.rule());
            o.put("level", row.level());
            o.put("raised", row.raised());
            o.put("levelChanges", row.levelChanges());
            o.put("cleared", row.cleared());
            o.put("stillRaised", row.stillRaised());
            o.put("timeInAlertMs", row.timeInAlertMs());
            o.put("longestAlertMs", row.longestAlertMs());
            o.put("flappingEpisodes", row.flappingEpisodes());
            o.put("sensors", row.sensors());
            Difference d = row.difference();
            if (d != null && d.isNew()) {
                o.put("difference", "new");
            } else if (d != null) {
                ObjectNode diff = o.putObject("difference");
                diff.put("raised", d.raised());
                diff.put("cleared", d.cleared());
                diff.put("sensors", d.sensors());
                diff.put("timeInAlertMs", d.timeInAlertMs());
            }
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A table per set. */
    public void printText(PrintWriter out) {
        Set<String> names = new LinkedHashSet<>(sets.keySet());
        rows.forEach(row -> names.add(row.set()));
        boolean first = true;
        for (String set : names) {
            if (!first) {
                out.println();
            }
            first = false;
            List<Row> of = rows.stream().filter(r -> r.set().equals(set)).toList();
            out.println(set + " rules, " + interval + ": " + sets.getOrDefault(set, List.of()).size() + " transitions");
            if (of.isEmpty()) {
                out.println("  (no rule raised an alert)");
                continue;
            }
            List<String[]> table = new ArrayList<>();
            boolean candidate = !set.equals(EFFECTIVE);
            table.add(candidate
                    ? new String[] {"rule", "level", "raised", "cleared", "in alert", "longest", "flapping", "sensors",
                        "vs effective"}
                    : new String[] {"rule", "level", "raised", "cleared", "in alert", "longest", "flapping", "sensors"});
            for (Row r : of) {
                String raised = r.raised() + (r.levelChanges() > 0 ? " (" + r.levelChanges() + " by level change)" : "");
                String[] cells = {r.rule(), r.level(), raised, String.valueOf(r.cleared()),
                    duration(r.timeInAlertMs()) + (r.stillRaised() > 0 ? " (" + r.stillRaised() + " open)" : ""),
                    duration(r.longestAlertMs()), String.valueOf(r.flappingEpisodes()), String.valueOf(r.sensors())};
                if (candidate) {
                    String[] more = java.util.Arrays.copyOf(cells, cells.length + 1);
                    Difference d = r.difference();
                    more[cells.length] = d.isNew() ? "new" : "raised " + signed(d.raised()) + ", cleared "
                            + signed(d.cleared()) + ", sensors " + signed(d.sensors());
                    cells = more;
                }
                table.add(cells);
            }
            print(out, table);
        }
        out.flush();
    }

    /** One sensor's transitions of every set, in time order (a set's before the next set's at the same time). */
    public void printTimeline(String sensor, PrintWriter out) {
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"time", "set", "rule", "level", "state", "value"});
        record Line(long time, int order, String[] cells) {}
        List<Line> lines = new ArrayList<>();
        int order = 0;
        for (Map.Entry<String, List<AlertEvent>> set : sets.entrySet()) {
            for (AlertEvent e : set.getValue()) {
                if (e.getSensorId().equals(sensor)) {
                    String state = e.getState().name();
                    if (e.getState() == AlertState.RAISED && e.getPreviousLevel() != null
                            && !e.getPreviousLevel().equals(e.getLevel())) {
                        state += " from " + e.getPreviousLevel();
                    }
                    if (e.getFlapping()) {
                        state += " (flapping)";
                    }
                    lines.add(new Line(e.getEventTime().toEpochMilli(), order++, new String[] {
                        e.getEventTime().toString(), set.getKey(), e.getRule(), e.getLevel(), state, number(e.getValue())}));
                }
            }
        }
        lines.sort(Comparator.comparingLong(Line::time).thenComparingInt(Line::order));
        out.println("timeline of " + sensor + ", " + interval + ": " + lines.size() + " transitions");
        lines.forEach(line -> table.add(line.cells()));
        if (!lines.isEmpty()) {
            print(out, table);
        }
        out.flush();
    }

    private static void print(PrintWriter out, List<String[]> table) {
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(row[i]).append(" ".repeat(widths[i] - row[i].length())).append(' ');
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String signed(long n) {
        return n > 0 ? "+" + n : String.valueOf(n);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.format(Locale.ROOT, "%s", value);
    }

    /** 1h 2m 3s; 250ms under a second. */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder text = new StringBuilder();
        long[] parts = {s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] > 0) {
                text.append(text.length() > 0 ? " " : "").append(parts[i]).append(units[i]);
            }
        }
        return text.toString();
    }
}
