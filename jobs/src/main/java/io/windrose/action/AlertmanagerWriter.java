package io.windrose.action;

import io.windrose.action.state.AlertmanagerAlert;
import io.windrose.deadletter.DeadLetterProducer;
import io.windrose.deadletter.DeadLetterReason;
import io.windrose.deadletter.DeadLetters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never blocks {@link #write}: each alert goes into the queue of each of its Alertmanagers and a sender thread per
 * Alertmanager posts the queue in batches. A queue holds one alert per label set, the latest (a newer post of an alert
 * replaces the one still waiting: Alertmanager only needs its latest state); when {@link #CAPACITY} alerts wait, the
 * oldest is dropped (counted in {@code dropped}; a raised one is posted again by its next resend, an ended one resolves
 * by Alertmanager's resolve_timeout). A failed post is retried with back-off (200 ms doubling to 10 s, with jitter);
 * an alert still not taken after the retry timeout becomes an ACTION_FAILED dead letter. Metrics group
 * {@code alertmanager}: sent (alerts taken), failed (failed posts), dropped, deadLetters, queued (gauge).
 */
final class AlertmanagerWriter implements SinkWriter<AlertmanagerAlert> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWriter.class);
    /** Alerts waiting per Alertmanager. */
    static final int CAPACITY = 10_000;
    /** Alerts per POST (Prometheus sends 64). */
    static final int BATCH = 64;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ActionsConfig.Alertmanager settings;
    private final DeadLetterProducer.Options deadLetterTopic;
    private final DeadLetterProducer deadLetters;
    private final HttpClient http;
    private final Map<String, Sender> senders = new LinkedHashMap<>();
    private final Counter sent;
    private final Counter failed;
    private final Counter dropped;
    private final Counter dead;
    private volatile boolean closed;

    AlertmanagerWriter(ActionsConfig.Alertmanager settings, DeadLetterProducer.Options deadLetterTopic, MetricGroup metrics) {
        this.settings = settings;
        this.deadLetterTopic = deadLetterTopic;
        this.deadLetters = deadLetterTopic == null ? null : new DeadLetterProducer(deadLetterTopic);
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        MetricGroup group = metrics.addGroup("alertmanager");
        this.sent = group.counter("sent");
        this.failed = group.counter("failed");
        this.dropped = group.counter("dropped");
        this.dead = group.counter("deadLetters");
        group.gauge("queued", this::queued);
    }

    @Override
    public void write(AlertmanagerAlert alert, Context context) {
        if (alert.getUrls().isEmpty()) {
            dropped.inc();
            LOG.warn("Alertmanager alert of rule {} for {} dropped: no URL (set actions.alertmanager.url)", alert.getRule(),
                    alert.getSensorId());
            return;
        }
        for (String url : alert.getUrls()) {
            sender(url).offer(alert);
        }
    }

    private synchronized Sender sender(String url) {
        return senders.computeIfAbsent(url, u -> {
            Sender sender = new Sender(u);
            sender.thread.start();
            return sender;
        });
    }

    private synchronized int queued() {
        return senders.values().stream().mapToInt(Sender::size).sum();
    }

    @Override
    public void flush(boolean endOfInput) {
        if (deadLetters != null) {
            synchronized (deadLetters) {
                deadLetters.flush();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        List<Sender> all;
        synchronized (this) {
            all = new ArrayList<>(senders.values());
        }
        for (Sender sender : all) {
            sender.thread.interrupt();
        }
        for (Sender sender : all) {
            sender.thread.join(5_000);
        }
        if (deadLetters != null) {
            synchronized (deadLetters) {
                deadLetters.close();
            }
        }
    }

    /** One waiting alert: since when it (or the older post of it it replaced) waits, System.nanoTime(). */
    private record Waiting(AlertmanagerAlert alert, long since) {}

    /** The queue and the thread of one Alertmanager. */
    private final class Sender implements Runnable {
        final String url;
        final URI endpoint;
        final Thread thread;
        /** By label set, oldest first. */
        private final LinkedHashMap<String, Waiting> queue = new LinkedHashMap<>();

        Sender(String url) {
            this.url = url;
            this.endpoint = URI.create((url.endsWith("/") ? url.substring(0, url.length() - 1) : url) + "/api/v2/alerts");
            this.thread = new Thread(this, "alertmanager-sender " + url);
            this.thread.setDaemon(true);
        }

        synchronized int size() {
            return queue.size();
        }

        synchronized void offer(AlertmanagerAlert alert) {
            String key = alert.getLabels().toString();
            Waiting before = queue.remove(key);
            if (before == null && queue.size() >= CAPACITY) {
                Iterator<Waiting> oldest = queue.values().iterator();
                oldest.next();
                oldest.remove();
                dropped.inc();
            }
            queue.put(key, new Waiting(alert, before == null ? System.nanoTime() : before.since()));
            notifyAll();
        }

        private synchronized List<Map.Entry<String, Waiting>> batch() throws InterruptedException {
            while (queue.isEmpty()) {
                wait();
            }
            List<Map.Entry<String, Waiting>> batch = new ArrayList<>();
            for (Map.Entry<String, Waiting> entry : queue.entrySet()) {
                batch.add(Map.entry(entry.getKey(), entry.getValue()));
                if (batch.size() == BATCH) {
                    break;
                }
            }
            return batch;
        }

        /** Takes the posted alerts out of the queue, unless a newer post of one came meanwhile. */
        private synchronized void done(List<Map.Entry<String, Waiting>> batch) {
            for (Map.Entry<String, Waiting> entry : batch) {
                queue.remove(entry.getKey(), entry.getValue());
            }
        }

        /** After a failed post: the alerts waiting longer than the retry timeout, taken out of the queue. */
        private synchronized List<Waiting> expired(long now) {
            List<Waiting> expired = new ArrayList<>();
            for (Iterator<Waiting> it = queue.values().iterator(); it.hasNext(); ) {
                Waiting waiting = it.next();
                if (now - waiting.since() >= settings.retryTimeout.toNanos()) {
                    expired.add(waiting);
                    it.remove();
                }
            }
            return expired;
        }

        @Override
        public void run() {
            int attempt = 0;
            while (!closed) {
                List<Map.Entry<String, Waiting>> batch;
                try {
                    batch = batch();
                } catch (InterruptedException e) {
                    return;
                }
                String problem = post(batch);
                if (problem == null) {
                    sent.inc(batch.size());
                    done(batch);
                    attempt = 0;
                    continue;
                }
                failed.inc();
                attempt++;
                for (Waiting waiting : expired(System.nanoTime())) {
                    deadLetter(waiting.alert(), problem);
                }
                long delay = Math.min(10_000, 200L << Math.min(attempt - 1, 10));
                delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("Alertmanager {} failed ({}); retrying {} alert(s) in {} ms (attempt {})", url, problem,
                            size(), delay, attempt);
                }
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** @return null when Alertmanager took the batch, else what went wrong */
        private String post(List<Map.Entry<String, Waiting>> batch) {
            List<AlertmanagerAlert> alerts = batch.stream().map(e -> e.getValue().alert()).toList();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(AlertmanagerPayload.json(alerts,
                                System.currentTimeMillis()), StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return null;
                }
                return "HTTP " + response.statusCode() + (response.body().isBlank() ? "" : ": " + shorten(response.body()));
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private void deadLetter(AlertmanagerAlert alert, String problem) {
            dead.inc();
            String body = AlertmanagerPayload.json(List.of(alert), System.currentTimeMillis());
            String detail = "Alertmanager " + url + " alert of rule " + alert.getRule() + " ("
                    + (alert.getRaised() ? "firing" : "resolved") + ") still failing after "
                    + settings.retryTimeout.toSeconds() + " s (actions.alertmanager.retry-timeout): " + problem;
            if (deadLetters == null) {
                LOG.error("{}; the Kafka dead-letter topic is off: {}", detail, body);
                return;
            }
            LOG.warn(detail);
            try {
                synchronized (deadLetters) {
                    deadLetters.send(DeadLetters.of(DeadLetterReason.ACTION_FAILED, detail, "alertmanager " + url,
                            alert.getSensorId(), System.currentTimeMillis(), body.getBytes(StandardCharsets.UTF_8),
                            deadLetterTopic.maxPayloadBytes()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("{}; the dead letter could not be sent ({}): {}", detail, e, body);
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
