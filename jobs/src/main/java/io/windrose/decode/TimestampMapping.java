package io.windrose.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.windrose.deadletter.DeadLetterReason;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * Reads a reading's event time (epoch milliseconds) from a payload path: epoch seconds/ms/µs/ns as numbers or
 * numeric strings (fractions allowed), or ISO-8601 text; ISO times without an offset are read in the configured zone
 * (at a daylight-saving overlap the earlier offset). {@link TimestampFormat#ARRIVAL} takes the arrival time.
 */
public final class TimestampMapping implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PayloadPath path;
    private final TimestampFormat format;
    private final ZoneId zone;

    public TimestampMapping(PayloadPath path, TimestampFormat format, String zone) {
        this.path = path;
        this.format = format;
        this.zone = ZoneId.of(zone);
    }

    public TimestampFormat format() {
        return format;
    }

    /** The payload path, or null with {@link TimestampFormat#ARRIVAL}. */
    public PayloadPath path() {
        return format == TimestampFormat.ARRIVAL ? null : path;
    }

    public long eventTime(JsonNode root, long receivedAt) throws DecodeException {
        return eventTimeOf(format == TimestampFormat.ARRIVAL ? null : path.resolve(root), receivedAt);
    }

    /** As {@link #eventTime}, from the node at the path (a missing node when there is none). */
    long eventTimeOf(JsonNode node, long receivedAt) throws DecodeException {
        if (format == TimestampFormat.ARRIVAL) {
            return receivedAt;
        }
        if (node.isMissingNode() || node.isNull()) {
            throw bad("no timestamp at '" + path + "'");
        }
        return format.isEpoch() ? epoch(node) : iso(node);
    }

    private long epoch(JsonNode node) throws DecodeException {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return fromEpoch(node.longValue());
        }
        if (node.isNumber() || node.isTextual()) {
            String text = node.isTextual() ? node.textValue().strip() : null;
            if (text != null && text.matches("[+-]?\\d{1,19}")) {
                try {
                    return fromEpoch(Long.parseLong(text));
                } catch (NumberFormatException e) {
                    throw bad("timestamp '" + text + "' at '" + path + "' is out of range");
                }
            }
            Double value = node.isNumber() ? Double.valueOf(node.asDouble()) : NumericValues.text(text, true, false);
            if (value != null && Double.isFinite(value)) {
                double millis = value * format.toMillis;
                if (millis >= 0 && millis < Long.MAX_VALUE) {
                    return Math.round(millis);
                }
            }
        }
        throw bad("expected " + format + " at '" + path + "' (a number), got " + shorten(node.toString()));
    }

    private long fromEpoch(long value) throws DecodeException {
        if (value < 0) {
            throw bad("timestamp " + value + " at '" + path + "' is before 1970");
        }
        return switch (format) {
            case EPOCH_S -> {
                if (value > Long.MAX_VALUE / 1000) {
                    throw bad("timestamp " + value + " at '" + path + "' is out of range for epoch-s");
                }
                yield value * 1000;
            }
            case EPOCH_US -> value / 1_000;
            case EPOCH_NS -> value / 1_000_000;
            default -> value;
        };
    }

    private long iso(JsonNode node) throws DecodeException {
        if (!node.isTextual()) {
            throw bad("expected an ISO-8601 time at '" + path + "' (a string), got " + shorten(node.toString()));
        }
        String text = node.textValue().strip();
        if (text.length() > 10 && text.charAt(10) == ' ') {
            text = text.substring(0, 10) + 'T' + text.substring(11);
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from,
                    LocalDateTime::from);
            ZonedDateTime time = parsed instanceof ZonedDateTime zoned ? zoned
                    : ZonedDateTime.of((LocalDateTime) parsed, zone);
            long millis = time.toInstant().toEpochMilli();
            if (millis < 0) {
                throw bad("timestamp '" + text + "' at '" + path + "' is before 1970");
            }
            return millis;
        } catch (DateTimeException | ArithmeticException e) {
            throw bad("expected an ISO-8601 time at '" + path + "' such as 2026-11-26T08:00:00 or "
                    + "2026-11-26T08:00:00.5+01:00, got " + shorten(node.toString()));
        }
    }

    private static DecodeException bad(String detail) {
        return new DecodeException(DeadLetterReason.BAD_TIMESTAMP, detail);
    }

    static String shorten(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
