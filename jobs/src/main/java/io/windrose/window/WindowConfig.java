package io.windrose.window;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import io.windrose.config.Durations;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * The {@code window} section: event-time windows per sensor — tumbling ({@code size}), sliding ({@code size} and
 * {@code slide}) or session ({@code session-gap}) — with rollup tiers computed from the tumbling windows and the
 * statistics to report.
 */
public final class WindowConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 2L;
    private static final Duration DEFAULT_SIZE = Duration.ofSeconds(10);

    public Duration size = DEFAULT_SIZE;
    /** Sliding (hopping) windows: a window of {@code size} starts every {@code slide}. */
    public Duration slide;
    /** Session windows per sensor: a session ends after this long without a reading. */
    public Duration sessionGap;
    /** Rollup tiers: larger tumbling windows from the partial aggregates of the one below, e.g. [1m, 1h]. */
    public List<Duration> tiers = new ArrayList<>();
    /** Where tiers go: a measurement name template ({measurement}, {window}); default the window's own measurement. */
    public String tierMeasurement;
    public List<Stat> stats = new ArrayList<>(List.of(Stat.COUNT, Stat.MIN, Stat.MAX, Stat.MEAN, Stat.SUM, Stat.LAST));
    /** Relative accuracy of percentiles (DDSketch): 0.01 is within 1 % of the exact value. */
    public double percentileAccuracy = 0.01;

    /** The window as written in the InfluxDB {@code window} tag: {@code 10s}, {@code 1m/10s}, {@code session}. */
    public String tag() {
        if (sessionGap != null) {
            return "session";
        }
        return slide == null ? Durations.format(size) : Durations.format(size) + "/" + Durations.format(slide);
    }

    /** Flink's assigner for these windows. */
    public WindowAssigner<Object, TimeWindow> assigner() {
        if (sessionGap != null) {
            return EventTimeSessionWindows.withGap(sessionGap);
        }
        return slide == null ? TumblingEventTimeWindows.of(size) : SlidingEventTimeWindows.of(size, slide);
    }

    /** The measurement a tier's aggregates of {@code measurement} go to. */
    public String tierMeasurement(String measurement, String tier) {
        return tierMeasurement == null ? measurement
                : tierMeasurement.replace("{measurement}", measurement).replace("{window}", tier);
    }

    @Override
    public void validate(ConfigCheck check) {
        check.positive(size, "size");
        if (slide != null) {
            check.positive(slide, "slide");
            check.require(slide.compareTo(size) < 0, "slide", "expected less than window.size (" + Durations.format(size)
                    + "); a slide of the size is a tumbling window: leave slide out");
            check.require(sessionGap == null, "session-gap", "expected either slide (sliding windows) or session-gap"
                    + " (session windows), not both");
        }
        if (sessionGap != null) {
            check.positive(sessionGap, "session-gap");
            check.require(size.equals(DEFAULT_SIZE), "size", "expected no size with session-gap (a session lasts as"
                    + " long as readings come closer together than the gap)");
        }
        if (!tiers.isEmpty()) {
            check.require(slide == null && sessionGap == null, "tiers", "expected tiers only over tumbling windows"
                    + " (window.size without slide or session-gap)");
            Duration below = size;
            for (int i = 0; i < tiers.size(); i++) {
                Duration tier = tiers.get(i);
                check.require(tier != null && tier.compareTo(below) > 0 && tier.toMillis() % below.toMillis() == 0,
                        "tiers[" + i + "]", "expected a multiple of " + Durations.format(below) + " larger than it (each"
                                + " tier is made of whole windows of the one below), got "
                                + (tier == null ? "nothing" : Durations.format(tier)));
                below = tier;
            }
        }
        check.require(tierMeasurement == null || !tierMeasurement.isBlank(), "tier-measurement",
                "expected a measurement name, e.g. {measurement}_rollup");
        check.require(!stats.isEmpty() && new HashSet<>(stats).size() == stats.size() && !stats.contains(null), "stats",
                "expected a list of distinct statistics among " + List.of(Stat.values()));
        check.require(percentileAccuracy > 0 && percentileAccuracy < 1, "percentile-accuracy",
                "expected a relative accuracy between 0 and 1, e.g. 0.01 for 1 %");
    }
}
