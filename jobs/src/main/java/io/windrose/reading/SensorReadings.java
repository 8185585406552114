package io.windrose.reading;

import io.windrose.schema.SensorReading;
import java.time.Instant;
import java.util.Map;

/**
 * The kinds of reading besides a device's. An expected-sensor marker stands for "the expected list of deadman rule R
 * names this sensor": it travels with the readings, keyed like them, so that a sensor never seen has a key in the alert
 * operator. A state marker says a sensor went offline or came back (for {@code kind: offline} rules). Markers and any other reading on a topic MQTT reserves for the broker ('$') are not a device's readings:
 * the stages before the alert operator let them through untouched (dedup) or leave them out (windows).
 */
public final class SensorReadings {
    /** The topic prefix of a marker; '$' is reserved for the broker in MQTT, so no device publishes under it. */
    private static final String EXPECTED = "$expected/";
    private static final String STATE = "$state/";
    private static final String OFFLINE = STATE + "offline";
    private static final String ONLINE = STATE + "online";

    private SensorReadings() {}

    /** The marker that stands for "rule {@code rule}'s expected list names this sensor". */
    public static SensorReading expectedMarker(String rule, String measurement, String sensorId, Map<String, String> tags) {
        return SensorReading.newBuilder().setMeasurement(measurement).setSensorId(sensorId).setTags(tags)
                .setEventTime(Instant.EPOCH).setFields(Map.of()).setTopic(EXPECTED + rule).build();
    }

    /** Whether {@code reading} is an expected-sensor marker. */
    public static boolean isExpectedMarker(SensorReading reading) {
        return reading.getTopic().startsWith(EXPECTED);
    }

    /** The rule whose expected list {@code marker} stands for. */
    public static String expectedRule(SensorReading marker) {
        return marker.getTopic().substring(EXPECTED.length());
    }

    /**
     * The marker that stands for "this sensor said it is gone" ({@code offline}) or "… it is back", at {@code time}: from
     * a decoder that knows (a Sparkplug DEATH or BIRTH), for {@code kind: offline} rules.
     */
    public static SensorReading stateMarker(String measurement, String sensorId, Map<String, String> tags, long time,
            boolean offline) {
        return SensorReading.newBuilder().setMeasurement(measurement).setSensorId(sensorId).setTags(tags)
                .setEventTime(Instant.ofEpochMilli(time)).setFields(Map.of()).setTopic(offline ? OFFLINE : ONLINE).build();
    }

    /** Whether {@code reading} is a state marker (see {@link #stateMarker}). */
    public static boolean isStateMarker(SensorReading reading) {
        return reading.getTopic().startsWith(STATE);
    }

    /** Whether the state marker {@code marker} says the sensor is offline. */
    public static boolean isOffline(SensorReading marker) {
        return OFFLINE.equals(marker.getTopic());
    }

    /** Whether {@code reading} is a device's: neither a marker nor anything else on a topic reserved for the broker. */
    public static boolean isDeviceReading(SensorReading reading) {
        return !reading.getTopic().startsWith("$");
    }
}
