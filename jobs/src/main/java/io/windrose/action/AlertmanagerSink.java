package io.windrose.action;

import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.deadletter.DeadLetterProducer;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * POSTs the rules' Alertmanager alerts to {@code /api/v2/alerts} of each of their Alertmanagers, without ever holding
 * up the job: {@link AlertmanagerWriter} queues them per Alertmanager and a thread of its own sends them, retrying with
 * back-off; an alert still not taken after {@code actions.alertmanager.retry-timeout} becomes an {@code ACTION_FAILED}
 * dead letter (on Kafka when it is on, else in the log).
 */
public final class AlertmanagerSink implements Sink<AlertmanagerAlert> {
    private static final long serialVersionUID = 1L;

    private final ActionsConfig.Alertmanager settings;
    private final DeadLetterProducer.Options deadLetters;

    /** @param deadLetters where failed alerts go, or null to log them */
    public AlertmanagerSink(ActionsConfig.Alertmanager settings, DeadLetterProducer.Options deadLetters) {
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    @Override
    public SinkWriter<AlertmanagerAlert> createWriter(WriterInitContext context) {
        return new AlertmanagerWriter(settings, deadLetters, context.metricGroup());
    }
}
