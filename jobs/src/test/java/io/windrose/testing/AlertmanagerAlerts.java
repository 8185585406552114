package io.windrose.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** What a real Alertmanager holds and what its receiver got, by alert name, for tests. */
public final class AlertmanagerAlerts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerAlerts() {}

    /** The alert {@code alertname} as {@code GET /api/v2/alerts} lists it, or null. */
    public static JsonNode listed(AlertmanagerServer alertmanager, String alertname) {
        try {
            for (JsonNode alert : JSON.readTree(alertmanager.alerts())) {
                if (alert.path("labels").path("alertname").asText().equals(alertname)) {
                    return alert;
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The statuses (firing, resolved) of the notifications the receiver got for {@code alertname}, in order. */
    public static List<String> statuses(AlertReceiver receiver, String alertname) {
        return receiver.alerts().stream().filter(a -> a.alertname().equals(alertname)).map(AlertReceiver.Alert::status)
                .toList();
    }
}
