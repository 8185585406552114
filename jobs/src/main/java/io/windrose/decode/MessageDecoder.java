package io.windrose.decode;

import io.windrose.deadletter.DeadLetterReason;
import io.windrose.mqtt.MqttMessage;
import io.windrose.schema.SensorReading;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An MQTT message → a reading or the reason it is a dead letter: too large, unrouted, undecodable by its route, or
 * stamped further ahead of its arrival than the allowed skew (so it cannot push the watermark past everyone else's
 * readings). Never throws.
 */
public final class MessageDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Starts the detail of a dead letter whose decoder failed in a way it does not anticipate (a bug to report). */
    static final String UNEXPECTED = "unexpected decoder failure: ";

    private final List<Route> routes;
    private final int maxPayloadBytes;
    private final long maxFutureSkewMs;

    /** A reading, or a dead letter's reason, detail and (when known) sensor id. */
    public record Result(SensorReading reading, DeadLetterReason reason, String detail, String sensorId) {
        static Result dead(DeadLetterReason reason, String detail, String sensorId) {
            return new Result(null, reason, detail, sensorId);
        }

        /** The message is for a Sparkplug B route: decoded later, with its edge node's state. */
        static final Result SPARKPLUG = new Result(null, null, null, null);

        /** Whether the message is for a Sparkplug B route (see {@link #SPARKPLUG}). */
        public boolean sparkplug() {
            return this == SPARKPLUG;
        }
    }

    public MessageDecoder(List<Route> routes, int maxPayloadBytes, Duration maxFutureSkew) {
        this.routes = List.copyOf(routes);
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public Result decode(MqttMessage message) {
        byte[] payload = message.payload == null ? new byte[0] : message.payload;
        if (payload.length > maxPayloadBytes) {
            return Result.dead(DeadLetterReason.TOO_LARGE, payload.length
                    + " bytes, more than decode.max-payload-bytes (" + maxPayloadBytes + ")", null);
        }
        for (Route route : routes) {
            Optional<Map<String, String>> captured = route.accept(message.topic);
            if (captured.isPresent()) {
                return route.sparkplug() ? Result.SPARKPLUG : decode(route, message, payload, captured.get());
            }
        }
        return Result.dead(DeadLetterReason.UNROUTED, "no route takes topic " + message.topic, null);
    }

    private Result decode(Route route, MqttMessage message, byte[] payload, Map<String, String> captured) {
        SensorReading reading;
        try {
            reading = route.decode(payload, message.topic, message.receivedAt, captured);
        } catch (DecodeException e) {
            return Result.dead(e.reason(), "route " + route.name() + ": " + e.getMessage(), captured.get(Route.SENSOR));
        } catch (RuntimeException | StackOverflowError e) {
            return Result.dead(DeadLetterReason.MALFORMED, "route " + route.name() + ": " + UNEXPECTED + e,
                    captured.get(Route.SENSOR));
        }
        long ahead = reading.getEventTime().toEpochMilli() - message.receivedAt;
        if (ahead > maxFutureSkewMs) {
            return Result.dead(DeadLetterReason.FUTURE_TIMESTAMP, "route " + route.name() + ": event time "
                    + reading.getEventTime() + " is " + ahead + " ms ahead of its arrival, more than "
                    + "event-time.max-future-skew (" + maxFutureSkewMs + " ms)", reading.getSensorId());
        }
        return new Result(reading, null, null, null);
    }
}
