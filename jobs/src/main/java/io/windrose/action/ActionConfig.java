package io.windrose.action;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import com.fasterxml.jackson.annotation.JsonFormat;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One item of a rule's {@code actions} list: an MQTT command, a webhook, an Alertmanager alert or a Sparkplug B command,
 * on the rule's alert changes.
 */
public final class ActionConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Mqtt mqtt;
    public Webhook webhook;
    public Alertmanager alertmanager;
    public Sparkplug sparkplug;

    /** A command to a device: topic and payloads are templates ({sensor}, {rule}, {level}, {value}, {threshold}, tags). */
    public static final class Mqtt implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** e.g. devices/{sensor}/fan/set, zigbee2mqtt/{sensor}/set, cmnd/{sensor}/POWER. */
        public String topic;
        /** Payload on RAISED (also when the level changes), e.g. ON or {"state":"ON"}. */
        public String raised;
        /** Payload on CLEARED; none: nothing is sent when the alert clears. */
        public String cleared;
        public int qos = 1;
        /** Retained commands switch a device again whenever it reconnects: off unless you mean it. */
        public boolean retain = false;
        /** An alert older than this is never acted on (replays, backfills, late data); also the MQTT 5 message expiry. */
        public Duration expiry = Duration.ofMinutes(5);

        @Override
        public void validate(ConfigCheck check) {
            check.notBlank(topic, "topic", "expected a command topic such as devices/{sensor}/fan/set");
            check.require(!topic.contains("+") && !topic.contains("#"), "topic", "a topic to publish to has no wildcards");
            check.require(raised != null || cleared != null, "", "expected the payload to send when raised, cleared or both");
            check.require(qos >= 0 && qos <= 2, "qos", "expected 0, 1 or 2, got " + qos);
            check.positive(expiry, "expiry");
        }
    }

    /**
     * A Sparkplug B command (DCMD to the alert's device, NCMD to an edge node's own metric) that writes one metric, by
     * the alias and datatype its birth gave; the device is the alert's: its tags {@code group}, {@code edge_node},
     * {@code device} (a {@code sparkplug-b} route's readings carry them).
     */
    public static final class Sparkplug implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** The metric's name in the birth, e.g. Fan or Outputs/Fan. */
        public String metric;
        /** The value written on RAISED (also a level change): true/false, a number or a text, as the metric's datatype takes. */
        public Object raised;
        /** The value written on CLEARED; none: nothing is written when the alert clears. */
        public Object cleared;
        /** An alert older than this is never acted on (replays, backfills, late data). */
        public Duration expiry = Duration.ofMinutes(5);

        @Override
        public void validate(ConfigCheck check) {
            check.notBlank(metric, "metric", "expected the name of a metric in the device's birth, e.g. Fan");
            check.require(raised != null || cleared != null, "", "expected the value to write when raised, cleared or both");
            check.require(scalar(raised), "raised", "expected true, false, a number or a text, got " + raised);
            check.require(scalar(cleared), "cleared", "expected true, false, a number or a text, got " + cleared);
            check.positive(expiry, "expiry");
        }

        private static boolean scalar(Object value) {
            return value == null || value instanceof Boolean || value instanceof Number || value instanceof String;
        }
    }

    /** A POST of the AlertEvent as JSON. */
    public static final class Webhook implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        public String url;

        @Override
        public void validate(ConfigCheck check) {
            check.httpUrl(url, "url");
        }
    }

    /**
     * The alert posted to Prometheus Alertmanager ({@code /api/v2/alerts}) while it is raised, ended when it clears; the
     * keys left out come from the {@code actions.alertmanager} section.
     */
    public static final class Alertmanager implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** One Alertmanager or a list (an HA pair: each gets every alert); none: actions.alertmanager.url. */
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> url = new ArrayList<>();
        /** Added to alertname, sensor, level and the tags (over actions.alertmanager.labels); literal values. */
        public Map<String, String> labels = new LinkedHashMap<>();
        /** Templates ({sensor}, {value}, … as for messages); message: the event's message unless given here. */
        public Map<String, String> annotations = new LinkedHashMap<>();

        @Override
        public void validate(ConfigCheck check) {
            for (int i = 0; i < url.size(); i++) {
                check.httpUrl(url.get(i), url.size() == 1 ? "url" : "url[" + i + "]");
            }
            validateLabels(check, "labels", labels);
            for (String name : annotations.keySet()) {
                check.require(AlertmanagerLabels.validName(name), "annotations." + name,
                        "expected an annotation name of letters, digits and _ (not starting with a digit)");
            }
        }
    }

    /** Label names Prometheus accepts, not the ones Windrose sets itself (alertname, sensor, level). */
    static void validateLabels(ConfigCheck check, String key, Map<String, String> labels) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            check.require(AlertmanagerLabels.validName(label.getKey()), key + "." + label.getKey(),
                    "expected a label name of letters, digits and _ (not starting with a digit or __)");
            check.require(!AlertmanagerLabels.RESERVED.contains(label.getKey()), key + "." + label.getKey(),
                    "alertname, sensor and level are set by Windrose (the rule, the sensor, the alert's level)");
            check.require(!label.getValue().isEmpty(), key + "." + label.getKey(), "expected a label value");
        }
    }

    @Override
    public void validate(ConfigCheck check) {
        int given = (mqtt == null ? 0 : 1) + (webhook == null ? 0 : 1) + (alertmanager == null ? 0 : 1)
                + (sparkplug == null ? 0 : 1);
        check.require(given == 1, "", "expected one of mqtt, webhook, alertmanager or sparkplug");
        if (mqtt != null) {
            check.section("mqtt", mqtt);
        } else if (webhook != null) {
            check.section("webhook", webhook);
        } else if (sparkplug != null) {
            check.section("sparkplug", sparkplug);
        } else {
            check.section("alertmanager", alertmanager);
        }
    }
}
