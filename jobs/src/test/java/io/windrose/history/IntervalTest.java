package io.windrose.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IntervalTest {
    @Test
    void instantsAreIsoOrEpochMilliseconds() {
        assertThat(Interval.instant("2026-12-01T00:00:00Z")).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(Interval.instant("1764144000000")).isEqualTo(Instant.ofEpochMilli(1764144000000L));
        assertThatThrownBy(() -> Interval.instant("yesterday")).hasMessageContaining("ISO-8601")
                .hasMessageContaining("'yesterday'");
    }

    @Test
    void widenedToWholeWindowsAtBothEdges() {
        Interval asked = new Interval(Instant.parse("2026-12-01T00:07:30Z"), Instant.parse("2026-12-01T01:00:00.001Z"));
        assertThat(asked.widen(Duration.ofHours(1))).isEqualTo(new Interval(Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-01T02:00:00Z")));
        Interval whole = new Interval(Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:01:00Z"));
        assertThat(whole.widen(Duration.ofSeconds(10))).isEqualTo(whole);
        assertThat(whole.contains(whole.from().toEpochMilli())).isTrue();
        assertThat(whole.contains(whole.to().toEpochMilli())).as("half-open").isFalse();
    }

    @Test
    void fromMustBeBeforeTo() {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        assertThatThrownBy(() -> new Interval(t, t)).hasMessageContaining("must be before --to");
    }
}
