package io.windrose.action;

import io.windrose.config.ConfigCheck;
import io.windrose.config.ConfigSection;
import java.io.Serializable;
import java.time.Duration;

/** The {@code actions} section: how the rules' actions are delivered. */
public final class ActionsConfig implements ConfigSection, Serializable {
    private static final long serialVersionUID = 1L;
    public Mqtt mqtt = new Mqtt();
    public Webhook webhook = new Webhook();

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

    @Override
    public void validate(ConfigCheck check) {
        check.section("mqtt", mqtt);
        check.section("webhook", webhook);
    }
}
