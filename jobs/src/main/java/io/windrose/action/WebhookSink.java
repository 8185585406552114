package io.windrose.action;

import io.windrose.action.state.WebhookCall;
import io.windrose.deadletter.DeadLetterProducer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * POSTs alert changes as JSON to the rules' webhooks, retrying with back-off while the job waits; a call that keeps
 * failing for {@code actions.webhook.retry-timeout} becomes an {@code ACTION_FAILED} dead letter (on Kafka when it is
 * on, else in the log), so a dead endpoint never stalls the job for longer than that.
 */
public final class WebhookSink implements Sink<WebhookCall> {
    private static final long serialVersionUID = 1L;

    private final ActionsConfig.Webhook settings;
    private final DeadLetterProducer.Options deadLetters;

    /** @param deadLetters where failed calls go, or null to log them */
    public WebhookSink(ActionsConfig.Webhook settings, DeadLetterProducer.Options deadLetters) {
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    @Override
    public SinkWriter<WebhookCall> createWriter(WriterInitContext context) {
        return new WebhookWriter(settings, deadLetters, context.metricGroup());
    }
}
