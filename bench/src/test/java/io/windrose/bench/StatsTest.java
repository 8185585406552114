package io.windrose.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValueWithItsSpread() {
        Stats.Spread s = Stats.spread(List.of(1.67, 1.31, 1.52));
        assertEquals(1.52, s.median());
        assertEquals(1.31, s.min());
        assertEquals(1.67, s.max());
        assertEquals(3, s.runs());
        assertEquals("1.520 (1.310–1.670, 3 runs)", s.describe());
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        Stats.Spread s = Stats.spread(List.of(4.0, 1.0, 3.0, 2.0));
        assertEquals(2.5, s.median());
        assertEquals(1.0, s.min());
        assertEquals(4.0, s.max());
    }

    @Test
    void oneRunIsItsOwnMedianAndSpread() {
        Stats.Spread s = Stats.spread(List.of(0.9));
        assertEquals(0.9, s.median());
        assertEquals(0.9, s.min());
        assertEquals(0.9, s.max());
    }

    @Test
    void noRunsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Stats.spread(List.of()));
    }

    @Test
    void cpuPerReadingIsMicrosecondsOfCpuOverReadings() {
        // 3.1 s of influxd CPU over 500,000 readings: 6.2 µs per reading
        assertEquals(6.2, Stats.cpuMicrosPerReading(3_100_000_000L, 500_000), 1e-9);
        assertEquals(0.6, Stats.cpuMicrosPerReading(300_000_000L, 500_000), 1e-9);
        assertTrue(Double.isNaN(Stats.cpuMicrosPerReading(1_000, 0)));
    }

    @Test
    void coresIsCpuOverWallTime() {
        // 9.7 % of a core: 5.82 s of CPU in 60 s
        assertEquals(0.097, Stats.cores(5_820_000_000L, 60_000_000_000L), 1e-12);
        assertEquals(2.0, Stats.cores(2_000, 1_000), 1e-12);
        assertTrue(Double.isNaN(Stats.cores(1, 0)));
    }

    @Test
    void timeToRateIsTheFirstSampleWhoseWindowRunsAtTheRate() {
        long s = 1_000_000_000L;
        long[] times = {0, s / 2, s, 3 * s / 2, 2 * s, 5 * s / 2, 3 * s};
        // 10k/s in the first second, then 40k/s
        long[] counts = {0, 5_000, 10_000, 30_000, 50_000, 70_000, 90_000};
        assertEquals(s, Stats.timeToRate(times, counts, 40_000, 0.9, s));
        // a lower bar is reached at once... over [0, 1 s] the rate is 10k/s
        assertEquals(0, Stats.timeToRate(times, counts, 10_000, 1.0, s));
        // never: 50k/s is not reached in any whole second
        assertEquals(-1, Stats.timeToRate(times, counts, 50_000, 1.0, s));
    }

    @Test
    void timeToRateNeedsAWholeWindow() {
        long[] times = {0, 400_000_000L};
        long[] counts = {0, 1_000_000};
        assertEquals(-1, Stats.timeToRate(times, counts, 1, 0.9, 1_000_000_000L));
    }
}
