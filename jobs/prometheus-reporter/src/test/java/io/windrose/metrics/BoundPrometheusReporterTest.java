package io.windrose.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.junit.jupiter.api.Test;

class BoundPrometheusReporterTest {
    @Test
    void listensOn127001ByDefaultAndServesMetrics() throws Exception {
        int port = freePort();
        MetricConfig config = new MetricConfig();
        config.setProperty("port", String.valueOf(port));
        BoundPrometheusReporter reporter = new BoundPrometheusReporterFactory().createMetricReporter(config);
        try {
            assertThat(reporter.port()).isEqualTo(port);
            assertThat(listeners(port)).containsExactly("127.0.0.1");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
        } finally {
            reporter.close();
        }
    }

    @Test
    void hostOptsInToEveryInterfaceAndARangeTakesTheFirstFreePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int first = taken.getLocalPort();
            MetricConfig config = new MetricConfig();
            config.setProperty("host", "0.0.0.0");
            config.setProperty("port", first + "," + freePort());
            BoundPrometheusReporter reporter = new BoundPrometheusReporterFactory().createMetricReporter(config);
            try {
                assertThat(reporter.port()).isNotEqualTo(first);
                assertThat(listeners(reporter.port())).containsExactly("*");
            } finally {
                reporter.close();
            }
        }
    }

    @Test
    void failsNamingHostAndPortsWhenNoneIsFree() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MetricConfig config = new MetricConfig();
            config.setProperty("port", String.valueOf(taken.getLocalPort()));
            assertThatThrownBy(() -> new BoundPrometheusReporterFactory().createMetricReporter(config))
                    .hasMessageContaining("127.0.0.1").hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    @Test
    void flinkFindsTheFactoryByItsClassName() {
        assertThat(ServiceLoader.load(MetricReporterFactory.class).stream().map(p -> p.type().getName()))
                .contains(BoundPrometheusReporterFactory.class.getName());
    }

    /**
     * The addresses listening on TCP {@code port} (Linux /proc/net/tcp and tcp6): {@code 127.0.0.1} (also as an
     * IPv4-mapped IPv6 address), {@code *} for every interface (0.0.0.0 or ::), else the hex address.
     */
    static List<String> listeners(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> addresses = new java.util.ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            if (!Files.exists(Path.of(table))) {
                continue;
            }
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals("0A") && f[1].endsWith(hexPort)) {
                    String hex = f[1].substring(0, f[1].indexOf(':'));
                    addresses.add(hex.matches("0+") ? "*"
                            : hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F") ? "127.0.0.1" : hex);
                }
            }
        }
        return addresses;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
