package io.windrose.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Grafana's template expansion for InfluxQL and PromQL queries, as its InfluxDB and Prometheus datasources do it
 * (Grafana itself cannot run here): {@code $var}, {@code ${var}}, {@code [[var]]}; a multi-value or include-All
 * variable becomes a regex group of escaped values {@code (a|b)} (one value: that value, escaped; All with a custom all
 * value: that value as it is); {@code $timeFilter}, {@code $__interval} (range / max data points, rounded as Grafana's
 * {@code roundInterval}, at least the datasource's or panel's minimum interval) and {@code $__rate_interval}
 * (max(interval + scrape interval, 4 × scrape interval)).
 */
public final class GrafanaTemplating {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)}|\\[\\[(\\w+)]]|\\$(\\w+)");
    /** The characters Grafana's regexEscape escapes (kbn.regexEscape: {@code [\\^$*+?.()|[\]{}/]}). */
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\^$*+?.()|\\[\\]{}/]");
    /** Grafana's roundInterval: the upper bound of each step and the interval it rounds to, in milliseconds. */
    private static final long[][] ROUNDING = {
        {15, 10}, {35, 20}, {75, 50}, {150, 100}, {350, 200}, {750, 500}, {1_500, 1_000}, {3_500, 2_000},
        {7_500, 5_000}, {12_500, 10_000}, {17_500, 15_000}, {25_000, 20_000}, {45_000, 30_000}, {90_000, 60_000},
        {210_000, 120_000}, {450_000, 300_000}, {750_000, 600_000}, {1_050_000, 900_000}, {1_500_000, 1_200_000},
        {2_700_000, 1_800_000}, {5_400_000, 3_600_000}, {9_000_000, 7_200_000}, {16_200_000, 10_800_000},
        {32_400_000, 21_600_000}, {86_400_000, 43_200_000}, {604_800_000, 86_400_000}};

    private GrafanaTemplating() {}

    /** A template variable's selection. {@code all}: the All option is selected ({@code values} are then all values). */
    public record Selection(List<String> values, boolean multi, boolean includeAll, boolean all, String allValue) {
        /** A plain single-value variable (not multi, no All). */
        public static Selection single(String value) {
            return new Selection(List.of(value), false, false, false, null);
        }
    }

    /** The time range and intervals of one panel's query. */
    public record Range(long fromMs, long toMs, Duration interval, Duration scrapeInterval) {
        /** Grafana's {@code $__rate_interval}. */
        public Duration rateInterval() {
            Duration plusScrape = interval.plus(scrapeInterval);
            Duration fourScrapes = scrapeInterval.multipliedBy(4);
            return plusScrape.compareTo(fourScrapes) > 0 ? plusScrape : fourScrapes;
        }
    }

    /** Grafana's {@code $__interval}: (to - from) / maxDataPoints, rounded, and at least {@code minInterval}. */
    public static Duration interval(long fromMs, long toMs, int maxDataPoints, Duration minInterval) {
        long raw = (toMs - fromMs) / maxDataPoints;
        long rounded = 31_536_000_000L;
        for (long[] step : ROUNDING) {
            if (raw < step[0]) {
                rounded = step[1];
                break;
            }
        }
        return Duration.ofMillis(Math.max(rounded, minInterval.toMillis()));
    }

    /** Grafana's interval text: 500ms, 10s, 1m, 2h, 1d. */
    public static String format(Duration interval) {
        long ms = interval.toMillis();
        if (ms % 86_400_000 == 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }

    /** Expands an InfluxQL query. */
    public static String influxql(String query, Map<String, Selection> variables, Range range) {
        return expand(query, variables, range, "time >= " + range.fromMs() + "ms and time <= " + range.toMs() + "ms");
    }

    /** Expands a PromQL expression. */
    public static String promql(String expr, Map<String, Selection> variables, Range range) {
        return expand(expr, variables, range, null);
    }

    private static String expand(String query, Map<String, Selection> variables, Range range, String timeFilter) {
        Matcher m = REFERENCE.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = switch (name) {
                case "timeFilter" -> timeFilter;
                case "__interval" -> format(range.interval());
                case "__interval_ms" -> String.valueOf(range.interval().toMillis());
                case "__rate_interval" -> format(range.rateInterval());
                case "__range" -> format(Duration.ofMillis(range.toMs() - range.fromMs()));
                default -> variables.containsKey(name) ? value(variables.get(name)) : null;
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String value(Selection selection) {
        if (!selection.multi() && !selection.includeAll()) {
            return selection.values().get(0);
        }
        if (selection.all() && selection.allValue() != null) {
            return selection.allValue();
        }
        List<String> escaped = selection.values().stream().map(GrafanaTemplating::regexEscape).toList();
        return escaped.size() == 1 ? escaped.get(0) : escaped.stream().collect(Collectors.joining("|", "(", ")"));
    }

    static String regexEscape(String value) {
        return REGEX_SPECIAL.matcher(value).replaceAll("\\\\$0");
    }

    /**
     * A variable's regex applied to the values its query returned, as Grafana does: values that do not match are
     * dropped; with a capture group, the group is the value. {@code regex} is written {@code /pattern/flags} or bare.
     */
    public static List<String> applyRegex(List<String> values, String regex) {
        if (regex == null || regex.isBlank()) {
            return values;
        }
        String pattern = regex;
        int flags = 0;
        if (regex.startsWith("/") && regex.lastIndexOf('/') > 0) {
            pattern = regex.substring(1, regex.lastIndexOf('/'));
            flags = regex.substring(regex.lastIndexOf('/') + 1).contains("i") ? Pattern.CASE_INSENSITIVE : 0;
        }
        Pattern compiled = Pattern.compile(pattern, flags);
        return values.stream().map(compiled::matcher).filter(Matcher::find)
                .map(match -> match.groupCount() > 0 && match.group(1) != null ? match.group(1) : match.group())
                .distinct().toList();
    }
}
