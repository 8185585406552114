package io.windrose.action;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;
import java.time.Duration;

/** One item of a rule's {@code actions} list: an MQTT command or a webhook, on the rule's alert changes. */
public final class ActionConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Mqtt mqtt;
    public Webhook webhook;

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

    /** A POST of the AlertEvent as JSON. */
    public static final class Webhook implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        public String url;

        @Override
        public void validate(ConfigCheck check) {
            check.httpUrl(url, "url");
        }
    }

    @Override
    public void validate(ConfigCheck check) {
        check.require((mqtt == null) != (webhook == null), "", "expected one of mqtt or webhook");
        if (mqtt != null) {
            check.section("mqtt", mqtt);
        } else {
            check.section("webhook", webhook);
        }
    }
}
