package io.windrose.action;

import io.windrose.action.state.WebhookCall;
import io.windrose.deadletter.DeadLetterProducer;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.deadletter.DeadLetters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One call at a time, retried until a 2xx answer or the retry timeout; then a dead letter. */
final class WebhookWriter implements SinkWriter<WebhookCall> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookWriter.class);

    private final ActionsConfig.Webhook settings;
    private final DeadLetterProducer.Options deadLetterTopic;
    private final DeadLetterProducer deadLetters;
    private final HttpClient http;
    private final Counter sent;
    private final Counter failed;
    private final Counter dead;

    WebhookWriter(ActionsConfig.Webhook settings, DeadLetterProducer.Options deadLetterTopic, MetricGroup metrics) {
        this.settings = settings;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetters = deadLetterTopic == null ? null : new DeadLetterProducer(deadLetterTopic);
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout).build();
        MetricGroup group = metrics.addGroup("webhooks");
        this.sent = group.counter("sent");
        this.failed = group.counter("failed");
        this.dead = group.counter("deadLetters");
    }

    @Override
    public void write(WebhookCall call, Context context) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + settings.retryTimeout.toNanos();
        String problem;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(call.getUrl()))
                        .timeout(settings.timeout).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(call.getBody(), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    sent.inc();
                    return;
                }
                problem = "HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + shorten(response.body()));
            } catch (IOException e) {
                problem = e.toString();
            }
            failed.inc();
            long delay = Math.min(10_000, 200L << Math.min(attempt - 1, 10));
            delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
            if (System.nanoTime() + delay * 1_000_000 > deadline) {
                break;
            }
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.warn("Webhook {} of rule {} failed ({}); retrying in {} ms (attempt {})", call.getUrl(), call.getRule(),
                        problem, delay, attempt);
            }
            Thread.sleep(delay);
        }
        dead.inc();
        String detail = "webhook " + call.getUrl() + " of rule " + call.getRule() + " still failing after "
                + settings.retryTimeout.toSeconds() + " s (actions.webhook.retry-timeout): " + problem;
        if (deadLetters == null) {
            LOG.error("{}; the Kafka dead-letter topic is off: {}", detail, call.getBody());
            return;
        }
        LOG.warn(detail);
        deadLetters.send(DeadLetters.of(DeadLetterReason.ACTION_FAILED, detail, "webhook " + call.getUrl(),
                call.getSensorId(), System.currentTimeMillis(), call.getBody().getBytes(StandardCharsets.UTF_8),
                deadLetterTopic.maxPayloadBytes()));
    }

    @Override
    public void flush(boolean endOfInput) {
        if (deadLetters != null) {
            deadLetters.flush();
        }
    }

    @Override
    public void close() {
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
