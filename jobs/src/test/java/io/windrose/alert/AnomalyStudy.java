package io.windrose.alert;

import io.windrose.alert.state.BaselineState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Measurement study for issue 30 (kind: anomaly): the exponentially weighted mean and deviation of
 * {@link AnomalyBaseline} against a rolling median and MAD (test code only), on three series of one reading a second
 * for 24 h: (a) the local stack's simulator sensor (a one-minute wave of ±10 °C, gaussian noise σ 1, the fan loop of
 * the shipped too-hot rule), (b) a slow drift (+0.5 °C an hour, noise σ 0.3), (c) 20 °C ± 0.5 with isolated spikes.
 * Faults are injected at known readings; both detectors follow the rule's contract (score, then learn only if the
 * reading did not raise). Prints one table; run with
 * {@code mvn -o -q -pl jobs exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.windrose.alert.AnomalyStudy}.
 */
public final class AnomalyStudy {
    static final long SECOND = 1000;
    static final Duration HALF_LIFE = Duration.ofMinutes(10);
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final int MIN_SAMPLES = 30;
    static final int READINGS = 24 * 3600;
    static final long T0 = 1_700_000_000_000L;

    interface Detector {
        double score(double value);

        void learn(double value, long time);

        int stateBytes();
    }

    static final class Ewma implements Detector {
        final AnomalyBaseline baseline = new AnomalyBaseline(HALF_LIFE, MIN_SAMPLES);

        public double score(double value) {
            return baseline.score(value);
        }

        public void learn(double value, long time) {
            baseline.update(value, time);
        }

        public int stateBytes() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                new SpecificDatumWriter<>(BaselineState.class).write(baseline.state(), encoder);
                encoder.flush();
                return bytes.size();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Median and MAD (× 1.4826, σ for gaussian data) of the readings in the last {@link #WINDOW} of event time. */
    static final class RollingMad implements Detector {
        static final Schema STATE = new Schema.Parser().parse("""
                {"type": "array", "items": {"type": "record", "name": "Point",
                  "fields": [{"name": "time", "type": "long"}, {"name": "value", "type": "double"}]}}""");
        final long window = WINDOW.toMillis();
        final ArrayDeque<long[]> times = new ArrayDeque<>(); // {time, Double.doubleToRawLongBits(value)}: the state
        double[] sorted = new double[1024];
        double[] scratch = new double[1024];
        int n;

        public double score(double value) {
            if (n < MIN_SAMPLES) {
                return Double.NaN;
            }
            double median = median(sorted, n);
            for (int i = 0; i < n; i++) {
                scratch[i] = Math.abs(sorted[i] - median);
            }
            double mad = 1.4826 * select(scratch, n);
            double floor = Math.max(AnomalyBaseline.RELATIVE_FLOOR * Math.abs(median), AnomalyBaseline.ABSOLUTE_FLOOR);
            return Math.abs(value - median) / Math.max(mad, floor);
        }

        public void learn(double value, long time) {
            while (!times.isEmpty() && times.peekFirst()[0] <= time - window) {
                remove(Double.longBitsToDouble(times.pollFirst()[1]));
            }
            times.addLast(new long[] {time, Double.doubleToRawLongBits(value)});
            if (n == sorted.length) {
                sorted = Arrays.copyOf(sorted, 2 * n);
                scratch = new double[2 * n];
            }
            int at = Arrays.binarySearch(sorted, 0, n, value);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(sorted, at, sorted, at + 1, n - at);
            sorted[at] = value;
            n++;
        }

        private void remove(double value) {
            int at = Arrays.binarySearch(sorted, 0, n, value);
            System.arraycopy(sorted, at + 1, sorted, at, n - at - 1);
            n--;
        }

        static double median(double[] sorted, int n) {
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** The median of a[0..n) by quickselect (reorders a). */
        static double select(double[] a, int n) {
            double upper = quickselect(a, 0, n - 1, n / 2);
            if (n % 2 == 1) {
                return upper;
            }
            double lower = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n / 2; i++) {
                lower = Math.max(lower, a[i]);
            }
            return (lower + upper) / 2;
        }

        static double quickselect(double[] a, int lo, int hi, int k) {
            while (lo < hi) {
                double pivot = a[(lo + hi) >>> 1];
                int i = lo;
                int j = hi;
                while (i <= j) {
                    while (a[i] < pivot) i++;
                    while (a[j] > pivot) j--;
                    if (i <= j) {
                        double t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                        i++;
                        j--;
                    }
                }
                if (k <= j) hi = j;
                else if (k >= i) lo = i;
                else return a[k];
            }
            return a[k];
        }

        public int stateBytes() {
            try {
                List<GenericRecord> points = new ArrayList<>();
                for (long[] p : times) {
                    GenericRecord r = new GenericData.Record(STATE.getElementType());
                    r.put("time", p[0]);
                    r.put("value", Double.longBitsToDouble(p[1]));
                    points.add(r);
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
                new GenericDatumWriter<List<GenericRecord>>(STATE).write(points, encoder);
                encoder.flush();
                return bytes.size();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A series: values at T0 + i seconds, and for each reading the fault it belongs to (-1: none). */
    record Series(String name, String faults, double[] values, int[] fault) {
        int faultCount() {
            return Arrays.stream(fault).max().orElse(-1) + 1;
        }
    }

    /** (a) Simulator.java, sensor s-1 at one reading a second, and its fan driven by the shipped too-hot rule. */
    static Series simulator() {
        Random random = new Random(42);
        double[] values = new double[READINGS];
        int[] fault = faults(new Random(1), 8, 60);
        double cooling = 0;
        boolean fan = false;
        for (int i = 0; i < READINGS; i++) {
            long now = T0 + i * SECOND;
            double wave = Math.sin(now / 60_000.0 * 2 * Math.PI + 1);
            cooling = Math.max(0, Math.min(15, cooling + (fan ? 0.5 : -0.5)));
            double t = 22 + 10 * wave - cooling + random.nextGaussian() + (fault[i] >= 0 ? 15 : 0);
            values[i] = t;
            fan = fan ? t >= 26 : t > 28; // the command reaches the sensor before its next reading
        }
        return new Series("(a) simulator", "+15 °C for 60 s, x8", values, fault);
    }

    /** (b) +0.5 °C an hour, σ 0.3; faults: a sensor running away at +0.6 °C/min for 10 min, then back. */
    static Series drift() {
        Random random = new Random(43);
        double[] values = new double[READINGS];
        int[] fault = faults(new Random(2), 8, 1200);
        int[] start = new int[READINGS];
        for (int i = 0; i < READINGS; i++) {
            start[i] = fault[i] >= 0 && (i == 0 || fault[i - 1] != fault[i]) ? i : (i > 0 ? start[i - 1] : 0);
            double ramp = 0;
            if (fault[i] >= 0) {
                int k = i - start[i];
                ramp = 0.01 * (k < 600 ? k : 1200 - k);
            }
            values[i] = 20 + 0.5 * i / 3600.0 + 0.3 * random.nextGaussian() + ramp;
        }
        return new Series("(b) drift", "ramp 0.6 °C/min 10 min up+down, x8", values, fault);
    }

    /** (c) 20 ± 0.5 (σ), 1 in 500 readings a spike of ±3..10 °C (each its own fault of one reading). */
    static Series spikes() {
        Random random = new Random(44);
        double[] values = new double[READINGS];
        int[] fault = new int[READINGS];
        int faults = 0;
        for (int i = 0; i < READINGS; i++) {
            values[i] = 20 + 0.5 * random.nextGaussian();
            fault[i] = -1;
            if (i > 600 && random.nextInt(500) == 0) {
                values[i] += (random.nextBoolean() ? 1 : -1) * (3 + 7 * random.nextDouble());
                fault[i] = faults++;
            }
        }
        return new Series("(c) spikes", "±3..10 °C single readings, 1/500", values, fault);
    }

    /** {@code count} faults of {@code length} readings, at least an hour apart, none in the first two hours. */
    static int[] faults(Random random, int count, int length) {
        int[] fault = new int[READINGS];
        Arrays.fill(fault, -1);
        int slot = (READINGS - 7200) / count;
        for (int f = 0; f < count; f++) {
            int start = 7200 + f * slot + random.nextInt(slot - length - 3600);
            for (int i = start; i < start + length; i++) {
                fault[i] = f;
            }
        }
        return fault;
    }

    record Result(int detected, int faults, double medianDelaySeconds, double maxDelaySeconds, double falsePer10k) {}

    /** The rule's contract: score, raise at sigma, learn only from readings that did not raise. */
    static Result run(Series series, Detector detector, double sigma) {
        int faults = series.faultCount();
        long[] firstAlert = new long[faults];
        Arrays.fill(firstAlert, -1);
        int[] firstReading = new int[faults];
        Arrays.fill(firstReading, -1);
        long falsePositives = 0;
        long normal = 0;
        for (int i = 0; i < READINGS; i++) {
            double value = series.values()[i];
            double score = detector.score(value);
            boolean raised = score >= sigma;
            int f = series.fault()[i];
            if (f >= 0) {
                if (firstReading[f] < 0) firstReading[f] = i;
                if (raised && firstAlert[f] < 0) firstAlert[f] = i;
            } else if (!Double.isNaN(score)) {
                normal++;
                if (raised) falsePositives++;
            }
            if (!raised) {
                detector.learn(value, T0 + i * SECOND);
            }
        }
        List<Long> delays = new ArrayList<>();
        for (int f = 0; f < faults; f++) {
            if (firstAlert[f] >= 0) delays.add(firstAlert[f] - firstReading[f]);
        }
        delays.sort(null);
        double median = delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2);
        double max = delays.isEmpty() ? Double.NaN : delays.get(delays.size() - 1);
        return new Result(delays.size(), faults, median, max, 10_000.0 * falsePositives / normal);
    }

    /** ns per reading (score and learn), the best of five passes (the first ones warm the JIT up). */
    static double cpu(Series series, java.util.function.Supplier<Detector> detectors) {
        double best = Double.MAX_VALUE;
        double sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            Detector d = detectors.get();
            long start = System.nanoTime();
            for (int i = 0; i < READINGS; i++) {
                double s = d.score(series.values()[i]);
                sink += Double.isNaN(s) ? 0 : s;
                d.learn(series.values()[i], T0 + i * SECOND);
            }
            best = Math.min(best, (System.nanoTime() - start) / (double) READINGS);
        }
        if (sink == 42) System.out.print("");
        return best;
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "EWMA: half-life %s, min-samples %d; MAD: window %s (%d readings), min-samples %d; 1 reading/s, %d readings a series%n%n",
                HALF_LIFE, MIN_SAMPLES, WINDOW, WINDOW.toSeconds(), MIN_SAMPLES, READINGS);
        System.out.println("| series | faults | detector | sigma | detected | delay median / max (s) | false pos. per 10k | ns/reading | CPU ratio | state (bytes, Avro) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        List<Series> all = List.of(simulator(), drift(), spikes());
        for (Series series : all) { // JIT warm-up of both detectors on every series before any timing
            cpu(series, Ewma::new);
            cpu(series, RollingMad::new);
        }
        for (Series series : all) {
            double ewmaNs = cpu(series, Ewma::new);
            double madNs = cpu(series, RollingMad::new);
            for (String name : List.of("EWMA", "median+MAD")) {
                for (double sigma : new double[] {3, 5}) {
                    Detector d = name.equals("EWMA") ? new Ewma() : new RollingMad();
                    Result r = run(series, d, sigma);
                    double ns = name.equals("EWMA") ? ewmaNs : madNs;
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %.0f | %d/%d | %s / %s | %.1f | %.0f | %.1f× | %d |%n",
                            series.name(), series.faults(), name, sigma, r.detected(), r.faults(),
                            fmt(r.medianDelaySeconds()), fmt(r.maxDelaySeconds()), r.falsePer10k(), ns, ns / ewmaNs,
                            d.stateBytes());
                }
            }
        }
    }

    private static String fmt(double seconds) {
        return Double.isNaN(seconds) ? "–" : String.format(Locale.ROOT, "%.0f", seconds);
    }
}
