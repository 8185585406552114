package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InfluxV2GatewayITCase {
    /** Against a real influxd: writes land, type conflicts come back as v2-shaped errors, queries pass through. */
    @Test
    void writesThroughToARealInfluxd() throws Exception {
        Path dir = Files.createTempDirectory("gateway-test");
        try (InfluxServer influx = new InfluxServer(Ports.free(), Ports.free(), Ports.free(), dir).start()) {
            influx.createDatabase("g");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = http.send(write(influx, "m,s=a v=1 1700000000000"), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(204);
            HttpResponse<String> conflict = http.send(write(influx, "m,s=a v=\"text\" 1700000001000"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(conflict.statusCode()).isEqualTo(400);
            assertThat(conflict.body()).startsWith("{\"code\":\"invalid\",\"message\":").contains("field type conflict");
            HttpResponse<String> query = http.send(HttpRequest.newBuilder(
                    URI.create(influx.url() + "/query?db=g&epoch=ms&q=SELECT%20*%20FROM%20m")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(query.body()).contains("[1700000000000,\"a\",1]");
        }
    }

    /** A v2 delete (as influxdb-client-java sends it) removes exactly that series' point at that time. */
    @Test
    void deletesThroughToARealInfluxd() throws Exception {
        Path dir = Files.createTempDirectory("gateway-delete");
        try (InfluxServer influx = new InfluxServer(Ports.free(), Ports.free(), Ports.free(), dir).start()) {
            influx.createDatabase("d");
            HttpClient http = HttpClient.newHttpClient();
            for (String line : new String[] {"m,sensor=a,window=session v=1 1700000000000",
                    "m,sensor=a,window=session v=2 1700000010000", "m,sensor=b,window=session v=3 1700000010000"}) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(influx.url()
                        + "/api/v2/write?org=o&bucket=d/autogen&precision=ms")).POST(HttpRequest.BodyPublishers.ofString(line))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            }
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(influx.url()
                    + "/api/v2/delete?org=o&bucket=d%2Fautogen")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"start\":\"2023-11-14T22:13:30Z\","
                            + "\"stop\":\"2023-11-14T22:13:30.000999999Z\",\"predicate\":"
                            + "\"_measurement=\\\"m\\\" AND sensor=\\\"a\\\" AND window=\\\"session\\\"\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            String left = influx.query("d", "SELECT v, sensor FROM m");
            assertThat(left).contains("[1700000000000,1,\"a\"]", "[1700000010000,3,\"b\"]").doesNotContain(",2,");

            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(influx.url()
                    + "/api/v2/delete?org=o&bucket=d")).POST(HttpRequest.BodyPublishers.ofString("{\"start\":\"x\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).startsWith("{\"code\":\"invalid\",\"message\":\"expected start, stop");
        }
    }

    private static HttpRequest write(InfluxServer influx, String line) {
        return HttpRequest.newBuilder(URI.create(influx.url() + "/api/v2/write?org=o&bucket=g&precision=ms"))
                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
    }
}
