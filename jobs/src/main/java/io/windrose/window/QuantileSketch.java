package io.windrose.window;

import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import io.windrose.window.state.QuantileBins;
import java.nio.ByteBuffer;

/**
 * Percentiles of a window's values from a DDSketch (Masson et al., VLDB 2019) kept in the window's Avro state: values
 * are counted in bins of a logarithmic index mapping (sketches-java's {@link LogarithmicMapping}), so every value of a
 * bin is within the relative accuracy of the bin's value, and sketches of parallel partials, merged windows and rollup
 * tiers merge by adding counts bin by bin. Percentiles are nearest-rank (the ⌈q·n⌉-th smallest value), read from the
 * bin holding that value and clamped to the exact min and max: within the relative accuracy of the exact percentile.
 */
final class QuantileSketch {
    private static final byte[] EMPTY = new byte[0];

    private final double relativeAccuracy;
    private final IndexMapping mapping;

    QuantileSketch(double relativeAccuracy) {
        this.relativeAccuracy = relativeAccuracy;
        this.mapping = new LogarithmicMapping(relativeAccuracy);
    }

    QuantileBins empty() {
        return new QuantileBins(relativeAccuracy, 0L, 0, ByteBuffer.wrap(EMPTY), 0, ByteBuffer.wrap(EMPTY));
    }

    void add(QuantileBins bins, double value) {
        add(bins, value, 1);
    }

    private void add(QuantileBins bins, double value, int count) {
        double magnitude = Math.abs(value);
        if (magnitude < mapping.minIndexableValue()) {
            bins.setZeroCount(bins.getZeroCount() + count);
            return;
        }
        int index = mapping.index(Math.min(magnitude, mapping.maxIndexableValue()));
        if (value > 0) {
            bins.setPositiveOffset(increment(bins.getPositive(), bins.getPositiveOffset(), index, count, bins::setPositive));
        } else {
            bins.setNegativeOffset(increment(bins.getNegative(), bins.getNegativeOffset(), index, count, bins::setNegative));
        }
    }

    /** Adds {@code from}'s counts into {@code into} (bins of another accuracy: each of its bins by its value). */
    void merge(QuantileBins into, QuantileBins from) {
        into.setZeroCount(into.getZeroCount() + from.getZeroCount());
        boolean sameMapping = from.getRelativeAccuracy() == relativeAccuracy;
        IndexMapping fromMapping = sameMapping ? mapping : new LogarithmicMapping(from.getRelativeAccuracy());
        for (int sign : new int[] {1, -1}) {
            ByteBuffer counts = sign > 0 ? from.getPositive() : from.getNegative();
            int offset = sign > 0 ? from.getPositiveOffset() : from.getNegativeOffset();
            for (int i = 0; i < size(counts); i++) {
                int count = get(counts, i);
                if (count != 0) {
                    add(into, sign * fromMapping.value(offset + i), count);
                }
            }
        }
    }

    /**
     * The nearest-rank {@code quantile} of the values counted, clamped to [{@code min}, {@code max}]; NaN when there
     * are none.
     */
    double quantile(QuantileBins bins, double quantile, double min, double max) {
        long total = bins.getZeroCount();
        ByteBuffer negative = bins.getNegative();
        ByteBuffer positive = bins.getPositive();
        for (int i = 0; i < size(negative); i++) {
            total += get(negative, i);
        }
        for (int i = 0; i < size(positive); i++) {
            total += get(positive, i);
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total - 1e-9)); // 1-based
        long seen = 0;
        IndexMapping bins0 = bins.getRelativeAccuracy() == relativeAccuracy ? mapping
                : new LogarithmicMapping(bins.getRelativeAccuracy());
        for (int i = size(negative) - 1; i >= 0; i--) { // most negative first
            seen += get(negative, i);
            if (seen >= rank) {
                return clamp(-bins0.value(bins.getNegativeOffset() + i), min, max);
            }
        }
        seen += bins.getZeroCount();
        if (seen >= rank) {
            return clamp(0, min, max);
        }
        for (int i = 0; i < size(positive); i++) {
            seen += get(positive, i);
            if (seen >= rank) {
                return clamp(bins0.value(bins.getPositiveOffset() + i), min, max);
            }
        }
        return max;
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    /** Adds to the count of bin {@code index}, growing the dense counts as needed; returns the (new) offset. */
    private static int increment(ByteBuffer counts, int offset, int index, int count,
            java.util.function.Consumer<ByteBuffer> replace) {
        int size = size(counts);
        if (size == 0) {
            ByteBuffer grown = ByteBuffer.allocate(4);
            grown.putInt(0, count);
            replace.accept(grown);
            return index;
        }
        if (index >= offset && index < offset + size) {
            int at = counts.position() + (index - offset) * 4;
            counts.putInt(at, Math.addExact(counts.getInt(at), count));
            return offset;
        }
        int newOffset = Math.min(offset, index);
        int newSize = Math.max(offset + size, index + 1) - newOffset;
        ByteBuffer grown = ByteBuffer.allocate(newSize * 4);
        for (int i = 0; i < size; i++) {
            grown.putInt((offset - newOffset + i) * 4, get(counts, i));
        }
        grown.putInt((index - newOffset) * 4, count);
        replace.accept(grown);
        return newOffset;
    }

    private static int size(ByteBuffer counts) {
        return counts.remaining() / 4;
    }

    private static int get(ByteBuffer counts, int i) {
        return counts.getInt(counts.position() + i * 4);
    }
}
