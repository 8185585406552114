package io.windrose.bench;

import java.util.Arrays;
import java.util.List;

/** The arithmetic of the figures, kept pure so that it is tested: medians with their spread, CPU per reading, cores. */
final class Stats {
    private Stats() {}

    /** Median, minimum and maximum of some runs' values (the median of an even count is the mean of the middle two). */
    record Spread(double median, double min, double max, int runs) {
        /** "1.52 (1.31–1.67, 3 runs)". */
        String describe() {
            return Results.round(median) + " (" + Results.round(min) + "–" + Results.round(max) + ", " + runs + " runs)";
        }
    }

    static Spread spread(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1], n);
    }

    /** Microseconds of CPU per reading: {@code cpuNanos} spent on {@code readings} (NaN without readings). */
    static double cpuMicrosPerReading(long cpuNanos, long readings) {
        return readings <= 0 ? Double.NaN : cpuNanos / 1e3 / readings;
    }

    /** Cores used on average: CPU time over wall time (0.25 = a quarter of one core). */
    static double cores(long cpuNanos, long wallNanos) {
        return wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos;
    }

    /**
     * When a count first ran at {@code fraction} of {@code steadyRate}: {@code times} (ns, ascending) and {@code counts}
     * are samples of a growing count; the rate is taken over the samples of each {@code windowNanos} from each sample
     * on. Returns the time of the first sample whose window reaches the rate, relative to {@code times[0]}, or -1 if
     * none does (the phase ended before its rate reached the steady state's).
     */
    static long timeToRate(long[] times, long[] counts, double steadyRate, double fraction, long windowNanos) {
        for (int i = 0; i < times.length; i++) {
            int j = i;
            while (j + 1 < times.length && times[j] - times[i] < windowNanos) {
                j++;
            }
            if (times[j] - times[i] < windowNanos) {
                return -1; // no whole window left
            }
            double rate = (counts[j] - counts[i]) / ((times[j] - times[i]) / 1e9);
            if (rate >= fraction * steadyRate) {
                return times[i] - times[0];
            }
        }
        return -1;
    }

    static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String list(double[] values) {
        return String.join(" ", Arrays.stream(values).mapToObj(Results::round).toList());
    }
}
