package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.testing.Readings;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.junit.jupiter.api.Test;

/** A reading stays out of a replay exactly when the live job's windows found it too late, by its watermark stamp. */
class ReplayFilterTest {
    private static final Interval MINUTE = new Interval(Instant.ofEpochMilli(0), Instant.ofEpochMilli(60_000));

    private static boolean kept(ReplayFilter filter, long time, long watermark) {
        return filter.filter(Tuple2.of(Readings.of("s-1", time, "t", 1.0), watermark));
    }

    @Test
    void tumblingWindowsAsTheWindowOperatorDecides() {
        ReplayFilter filter = new ReplayFilter(MINUTE, TumblingEventTimeWindows.of(Duration.ofSeconds(10)), 0);
        assertThat(kept(filter, 5_000, Long.MIN_VALUE)).as("before the first watermark").isTrue();
        assertThat(kept(filter, 5_000, 9_998)).isTrue();
        assertThat(kept(filter, 5_000, 9_999)).as("window [0, 10 s) closed at 9,999").isFalse();
        assertThat(kept(filter, 60_000, Long.MIN_VALUE)).as("outside the interval").isFalse();
        assertThat(kept(filter, -1, Long.MIN_VALUE)).as("outside the interval").isFalse();
    }

    @Test
    void allowedLatenessKeepsAReadingLonger() {
        ReplayFilter filter = new ReplayFilter(MINUTE, TumblingEventTimeWindows.of(Duration.ofSeconds(10)), 5_000);
        assertThat(kept(filter, 5_000, 14_998)).isTrue();
        assertThat(kept(filter, 5_000, 14_999)).isFalse();
    }

    @Test
    void aSlidingReadingStaysWhileOneOfItsWindowsIsOpen() {
        ReplayFilter filter = new ReplayFilter(MINUTE,
                SlidingEventTimeWindows.of(Duration.ofSeconds(20), Duration.ofSeconds(10)), 0);
        assertThat(kept(filter, 15_000, 20_000)).as("[0, 20 s) closed, [10 s, 30 s) open").isTrue();
        assertThat(kept(filter, 15_000, 29_999)).as("both closed").isFalse();
    }

    @Test
    void sessionReadingsAreAllKept() {
        ReplayFilter filter = new ReplayFilter(MINUTE, EventTimeSessionWindows.withGap(Duration.ofSeconds(10)), 0);
        assertThat(kept(filter, 5_000, 50_000)).isTrue();
    }
}
