package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** LinePoint writes what influxdb-client-java's Point writes, the same double for every float. */
class LinePointTest {
    private static final String ALPHABET = "ab z,=\"\\\n\r\t\u00e9\u29f5x";

    @Test
    void writesWhatTheClientsPointWrites() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            String measurement = text(random);
            Point expected = Point.measurement(measurement).time(1_700_000_000_000L + i, WritePrecision.MS);
            LinePoint actual = LinePoint.measurement(measurement).time(1_700_000_000_000L + i);
            for (int t = random.nextInt(4); t > 0; t--) {
                String key = text(random);
                String value = text(random);
                expected.addTag(key, value);
                actual.addTag(key, value);
            }
            for (int f = random.nextInt(5); f > 0; f--) {
                String key = text(random);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        long value = random.nextLong();
                        expected.addField(key, value);
                        actual.addField(key, value);
                    }
                    case 1 -> {
                        boolean value = random.nextBoolean();
                        expected.addField(key, value);
                        actual.addField(key, value);
                    }
                    case 2 -> {
                        String value = text(random);
                        expected.addField(key, value);
                        actual.addField(key, value);
                    }
                    default -> {
                        double value = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12) - 4);
                        expected.addField(key, value);
                        actual.addField(key, value);
                    }
                }
            }
            assertThat(actual.toLineProtocol()).isEqualTo(expected.toLineProtocol());
        }
    }

    @Test
    void floatsReadBackAsTheSameDoubleInPlainNotation() {
        for (double value : new double[] {0.0, -0.0, 1.0, 50.5, 29.011491975882016, 1e-3, 9.999999e6, 1e7, 1.5e10, 1e-5,
                -2.5e-12, Double.MIN_VALUE, Double.MAX_VALUE, 123456789.125}) {
            StringBuilder text = new StringBuilder();
            LinePoint.appendFloat(text, value);
            assertThat(text.toString()).doesNotContain("E").contains(".");
            assertThat(Double.parseDouble(text.toString())).isEqualTo(value);
        }
    }

    @Test
    void leavesOutNonFiniteFloatsAndAPointWithoutFields() {
        assertThat(LinePoint.measurement("m").addField("a", Double.NaN).addField("b", 1.0).time(5).toLineProtocol())
                .isEqualTo("m b=1.0 5");
        assertThat(LinePoint.measurement("m").addField("a", Double.POSITIVE_INFINITY).toLineProtocol()).isEmpty();
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
