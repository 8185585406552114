package io.windrose.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The webhook receiver, fed what Alertmanager 0.25 POSTs (webhook version 4). */
class AlertReceiverTest {
    private static final String NOTIFICATION = """
            {"receiver":"windrose-log","status":"firing","alerts":[
              {"status":"firing","labels":{"alertname":"too-hot","sensor":"s-1","level":"critical","site":"site-a"},
               "annotations":{"summary":"s-1 at \\"35.5\\""},"startsAt":"2025-06-01T10:00:00.123Z",
               "endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"a1"},
              {"status":"resolved","labels":{"alertname":"WindroseJobDown","job_name":"windrose_local","level":"critical"},
               "annotations":{},"startsAt":"2025-06-01T09:00:00Z","endsAt":"2025-06-01T10:00:00Z","generatorURL":"",
               "fingerprint":"b2"}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://vm:9095","version":"4",
             "groupKey":"{}:{}","truncatedAlerts":0}
            """;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void logsOneLinePerAlertOfANotification() throws Exception {
        Path log = dir.resolve("run/alertmanager/notifications.log");
        try (AlertReceiver receiver = AlertReceiver.start(0, log)) {
            assertThat(log).exists().isEmptyFile();
            assertThat(receiver.url()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/alerts");
            assertThat(post(receiver.url(), NOTIFICATION).statusCode()).isEqualTo(200);

            assertThat(receiver.notifications()).isEqualTo(1);
            List<AlertReceiver.Alert> alerts = receiver.alerts();
            assertThat(alerts).extracting(AlertReceiver.Alert::notification).containsExactly(1, 1);
            assertThat(alerts.get(0).labels()).isEqualTo(Map.of("alertname", "too-hot", "sensor", "s-1",
                    "level", "critical", "site", "site-a"));
            assertThat(alerts.get(1).sensor()).isEqualTo("-");
            assertThat(alerts.get(1).endsAt()).isEqualTo("2025-06-01T10:00:00Z");

            List<String> lines = Files.readAllLines(log);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z firing too-hot sensor=s-1 level=critical "
                    + "\\{alertname=\"too-hot\", level=\"critical\", sensor=\"s-1\", site=\"site-a\"} "
                    + "summary=\"s-1 at \\\\\"35.5\\\\\"\"");
            assertThat(lines.get(1)).endsWith(" resolved WindroseJobDown sensor=- level=critical "
                    + "{alertname=\"WindroseJobDown\", job_name=\"windrose_local\", level=\"critical\"}");
            assertThat(receiver.lines()).isEqualTo(lines);
        }
    }

    @Test
    void appendsToTheLogOfAnEarlierRunAndRefusesWhatIsNoNotification() throws Exception {
        Path log = Files.writeString(dir.resolve("notifications.log"), "an earlier line\n");
        try (AlertReceiver receiver = AlertReceiver.start(0, log)) {
            assertThat(post(receiver.url(), "not json").statusCode()).isEqualTo(400);
            assertThat(post(receiver.url(), "{\"status\":\"firing\"}").statusCode()).isEqualTo(400);
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(receiver.url())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).contains(log.toString());
            assertThat(post(receiver.url(), NOTIFICATION).statusCode()).isEqualTo(200);
            assertThat(receiver.notifications()).isEqualTo(1);
            assertThat(Files.readAllLines(log)).hasSize(3).first().isEqualTo("an earlier line");
            // only on loopback
            assertThat(Ports.listening(ProcessHandle.current().pid())).containsEntry(receiver.port(), java.util.Set.of("127.0.0.1"));
        }
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
