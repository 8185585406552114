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

    private static HttpRequest write(InfluxServer influx, String line) {
        return HttpRequest.newBuilder(URI.create(influx.url() + "/api/v2/write?org=o&bucket=g&precision=ms"))
                .POST(HttpRequest.BodyPublishers.ofString(line)).build();
    }
}
