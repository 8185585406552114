package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.alert.state.BaselineState;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.SensorReading;
import org.apache.flink.api.common.state.MapState;

/**
 * Anomaly rules: the reading's score against the sensor's {@link AnomalyBaseline} (kept in the rule's track) is judged
 * against the rule's sigmas per level, like a threshold rule judges a value: levels, {@code for}, {@code clear-after},
 * {@code reset} (on the score), flapping. Runs in event-time order ({@link AlertRule#ordered()}), so that the score and
 * the transitions are those of the readings sorted by event time.
 *
 * <p>Each reading is scored against the baseline as it was before it, then learned only if the rule is clear after it
 * and its score is beyond no level: <b>the baseline does not learn while the alert is raised</b>, nor from a reading
 * that is on its way to raise it (during {@code for}), so a fault never becomes the sensor's normal and the alert clears
 * when the sensor comes back. While warming up (fewer than {@code min-samples} readings learned) the score is NaN: no
 * level holds, and every reading is learned.
 *
 * <p>A lasting change of level would then stay raised for ever, and a sensor with two states (a compressor on and off)
 * whose warm-up saw one would raise on the other every time. The baseline counts the readings it did not learn, in the
 * same event-time weights as those it learned, and restarts when they outweigh them ({@link AnomalyBaseline#reject}):
 * about one half-life into a lasting change. No score while it warms up again: the alert clears, after
 * {@code clear-after} if the rule has one. A silence of {@link AnomalyBaseline#RESTART_HALF_LIVES} half-lives restarts
 * it too, before the reading after it is scored ({@link AnomalyBaseline#restartIfSilent}).
 *
 * <p>A reading older than the latest one the baseline counted (one behind the watermark, taken at once) comes too late
 * to be judged: it is scored and learned (or counted as not learned) as any reading, and changes no alert.
 */
final class AnomalyEvaluator implements ReadingEvaluator {
    static final AnomalyEvaluator INSTANCE = new AnomalyEvaluator();

    private AnomalyEvaluator() {}

    @Override
    public AlertEvent evaluate(AlertRule rule, SensorReading reading, MapState<String, AlertTrack> tracks) throws Exception {
        Double value = ReadingEvaluator.value(rule, reading);
        if (value == null) {
            return null;
        }
        AlertTrack track = ThresholdEvaluator.track(rule, tracks);
        BaselineState state = track.getBaseline();
        if (state == null) {
            state = AnomalyBaseline.fresh();
            track.setBaseline(state);
        }
        AnomalyBaseline baseline = rule.baseline(state);
        long time = reading.getEventTime().toEpochMilli();
        baseline.restartIfSilent(time);
        boolean late = time < baseline.latest();
        double score = baseline.score(value);
        AlertTracker.Change change = late ? null : AlertTracker.evaluate(rule, track, score, time);
        if (track.getLevel() < 0 && !rule.entersAny(score)) {
            baseline.update(value, time);
        } else {
            baseline.reject(time);
        }
        tracks.put(rule.name, track);
        if (change == null) {
            return null;
        }
        AlertEvent event = AlertEvents.of(rule, change, reading.getSensorId(), reading.getMeasurement(),
                reading.getTags(), value, time, score);
        return event;
    }
}
