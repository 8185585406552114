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

/** The {@code actions} section: how the rules' actions are delivered. */
public final class ActionsConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Mqtt mqtt = new Mqtt();
    public Webhook webhook = new Webhook();
    public Alertmanager alertmanager = new Alertmanager();

    /** MQTT commands: sent through the broker of the {@code mqtt} section, with its TLS and credentials. */
    public static final class Mqtt implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** Writer n connects as {@code <prefix>-<n>}; default: the mqtt section's client-id-prefix + "-commands". */
        public String clientIdPrefix;
        /** Per command topic (device): commands closer together are coalesced, the latest is sent when the interval ends. */
        public Duration minInterval = Duration.ofSeconds(1);
        /** All commands of a writer: more wait for their turn (the job slows down rather than drops a command). */
        public int maxPerSecond = 100;
        /** A broker that does not take a command is retried with back-off while the job waits, this long; then the job fails. */
        public Duration retryTimeout = Duration.ofMinutes(1);

        @Override
        public void validate(ConfigCheck check) {
            check.require(clientIdPrefix == null || !clientIdPrefix.isBlank(), "client-id-prefix", "expected a non-empty prefix");
            check.notNegative(minInterval, "min-interval");
            check.require(maxPerSecond > 0, "max-per-second", "expected a whole number above 0");
            check.positive(retryTimeout, "retry-timeout");
        }
    }

    /** Webhooks: a call that keeps failing becomes an ACTION_FAILED dead letter, not a stuck job. */
    public static final class Webhook implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        public Duration timeout = Duration.ofSeconds(10);
        /** How long a failing call is retried (with back-off) before it becomes a dead letter. */
        public Duration retryTimeout = Duration.ofMinutes(1);

        @Override
        public void validate(ConfigCheck check) {
            check.positive(timeout, "timeout");
            check.positive(retryTimeout, "retry-timeout");
        }
    }

    /** Alertmanager: the defaults of the rules' alertmanager actions, and how their alerts are posted. */
    public static final class Alertmanager implements ConfigSection, Serializable {
        private static final long serialVersionUID = 1L;
        /** One Alertmanager or a list (an HA pair: each gets every alert), for the actions that name none. */
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        public List<String> url = new ArrayList<>();
        /** Labels of every alert (a rule's own labels win). */
        public Map<String, String> labels = new LinkedHashMap<>();
        /** A raised alert is posted again this often: keep it below Alertmanager's resolve_timeout (5m by default). */
        public Duration resendInterval = Duration.ofMinutes(1);
        /** Grafana's base URL, e.g. http://127.0.0.1:3000: the alerts' generatorURL is the sensor's dashboard. */
        public String grafanaUrl;
        /** How long a failing post is retried (with back-off) before it becomes an ACTION_FAILED dead letter. */
        public Duration retryTimeout = Duration.ofMinutes(1);

        @Override
        public void validate(ConfigCheck check) {
            for (int i = 0; i < url.size(); i++) {
                check.httpUrl(url.get(i), url.size() == 1 ? "url" : "url[" + i + "]");
            }
            ActionConfig.validateLabels(check, "labels", labels);
            check.positive(resendInterval, "resend-interval");
            if (grafanaUrl != null) {
                check.httpUrl(grafanaUrl, "grafana-url");
            }
            check.positive(retryTimeout, "retry-timeout");
        }
    }

    @Override
    public void validate(ConfigCheck check) {
        check.section("mqtt", mqtt);
        check.section("webhook", webhook);
        check.section("alertmanager", alertmanager);
    }
}
