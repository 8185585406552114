package io.windrose.action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.windrose.action.state.AlertmanagerAlert;
import java.time.Instant;
import java.util.List;

/** The body of {@code POST /api/v2/alerts}: an array of alerts with labels, annotations, startsAt, endsAt, generatorURL. */
public final class AlertmanagerPayload {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertmanagerPayload() {}

    /**
     * @param now the wall clock: an endsAt later than now (a sensor's clock ahead) is now, so that the alert resolves at
     *     once; never before startsAt (Alertmanager refuses that)
     */
    public static String json(List<AlertmanagerAlert> alerts, long now) {
        ArrayNode array = JSON.createArrayNode();
        for (AlertmanagerAlert alert : alerts) {
            array.add(node(alert, now));
        }
        return array.toString();
    }

    static ObjectNode node(AlertmanagerAlert alert, long now) {
        ObjectNode node = JSON.createObjectNode();
        ObjectNode labels = node.putObject("labels");
        alert.getLabels().forEach(labels::put);
        ObjectNode annotations = node.putObject("annotations");
        alert.getAnnotations().forEach(annotations::put);
        node.put("startsAt", Instant.ofEpochMilli(alert.getStartsAt()).toString());
        if (!alert.getRaised() && alert.getEndsAt() != null) {
            long endsAt = Math.max(alert.getStartsAt(), Math.min(alert.getEndsAt(), now));
            node.put("endsAt", Instant.ofEpochMilli(endsAt).toString());
        }
        if (alert.getGeneratorUrl() != null) {
            node.put("generatorURL", alert.getGeneratorUrl());
        }
        return node;
    }
}
