package io.windrose.flink.connector.mqtt.source.reader;

import io.windrose.flink.connector.mqtt.common.MqttSourceOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says so when a reader stops receiving: disconnected longer than one limit, or connected with no message longer
 * than another. Logs a warning when a stall starts (and again every limit while it lasts), one line when it ends,
 * and sets the {@code stalled} gauge meanwhile.
 */
final class StallWatch {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatch.class);

    private final MqttSourceOptions options;
    private final MqttReaderMetrics metrics;
    private long nextWarningAt;
    private boolean stalled;

    StallWatch(MqttSourceOptions options, MqttReaderMetrics metrics) {
        this.options = options;
        this.metrics = metrics;
    }

    void check(MqttSubscriber subscriber, long now) {
        String why = null;
        long limit = 0;
        if (!metrics.isConnected()) {
            long down = now - subscriber.disconnectedSince();
            if (down >= options.disconnectedWarning().toMillis()) {
                why = "disconnected for " + down / 1000 + " s (last error: " + subscriber.lastError() + "); still retrying";
                limit = options.disconnectedWarning().toMillis();
            }
        } else {
            long idle = now - Math.max(metrics.lastMessageAt(), subscriber.disconnectedSince());
            if (idle >= options.idleWarning().toMillis()) {
                why = "connected but no message for " + idle / 1000 + " s on " + subscriber.split().subscriptions()
                        + " (devices quiet, or the subscription lost?)";
                limit = options.idleWarning().toMillis();
            }
        }
        if (why != null) {
            if (!stalled || now >= nextWarningAt) {
                LOG.warn("MQTT reader {} stalled: {}", subscriber.split().clientId(), why);
                nextWarningAt = now + limit;
            }
            stalled = true;
        } else if (stalled) {
            stalled = false;
            LOG.info("MQTT reader {} receives again", subscriber.split().clientId());
        }
        metrics.stalled(stalled);
    }
}
