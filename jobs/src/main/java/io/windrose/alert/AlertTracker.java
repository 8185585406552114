package io.windrose.alert;

import io.windrose.alert.state.AlertTrack;
import io.windrose.schema.AlertState;
import java.util.ArrayList;
import java.util.List;

/**
 * The state machine of one rule for one sensor, over its {@link AlertTrack} state: levels with hysteresis, {@code for}
 * and {@code clear-after} in event time, flapping. Emits only changes: RAISED (also for a level change while raised),
 * CLEARED, and the start and end of flapping. Pure: no Flink, no clock of its own.
 */
final class AlertTracker {
    static final long NEVER = Long.MIN_VALUE;

    /** A change consumers see. */
    record Change(AlertState state, Level level, Level previous, boolean flapping, long raisedAt, double threshold) {}

    private AlertTracker() {}

    /**
     * The state of a sensor a rule has not seen yet: the schema's defaults, set one by one. Avro's builder looks each
     * default up by hashing its schema field: it was 13 % of the keyed task's samples in the e2e profile, as a plain
     * threshold rule starts from a fresh track for every reading of a sensor that is not raised (the test compares
     * the two).
     */
    static AlertTrack fresh() {
        List<Long> since = new ArrayList<>(Level.values().length);
        for (int i = 0; i < Level.values().length; i++) {
            since.add(NEVER);
        }
        AlertTrack track = new AlertTrack();
        track.setLevel(-1);
        track.setEmittedLevel(-1);
        track.setEmittedFlapping(false);
        track.setSince(since);
        track.setClearingSince(NEVER);
        track.setRaisedAt(0L);
        track.setChanges(0L);
        track.setEvaluations(0);
        track.setLastSeen(0L);
        track.setExpectedUntil(0L);
        track.setSeen(false);
        track.setPoints(new ArrayList<>());
        track.setEscalated(false);
        return track;
    }

    /** A threshold or rate rule sees {@code value} at event time {@code time}; returns what to emit, or null. */
    static Change evaluate(AlertRule rule, AlertTrack track, double value, long time) {
        int committed = track.getLevel();
        List<Long> since = track.getSince();
        int instant = -1;
        for (int level = 0; level < Level.values().length; level++) {
            boolean holds = rule.enters(level, value) || (level <= committed && rule.stays(level, value));
            since.set(level, holds ? (since.get(level) == NEVER ? time : since.get(level)) : NEVER);
            if (holds) {
                instant = level;
            }
        }
        int next = committed;
        if (instant > committed) {
            // up: to the highest level whose condition has held for 'for'
            for (int level = instant; level > committed; level--) {
                if (time - since.get(level) >= rule.holdMs) {
                    next = level;
                    break;
                }
            }
            track.setClearingSince(NEVER);
        } else if (instant < committed) {
            // down or clear: once the raised level has not held for 'clear-after'
            if (track.getClearingSince() == NEVER) {
                track.setClearingSince(time);
            }
            if (time - track.getClearingSince() >= rule.clearAfterMs) {
                next = instant;
                track.setClearingSince(NEVER);
            }
        } else {
            track.setClearingSince(NEVER);
        }
        return commit(rule, track, escalate(rule, track, next, time), time);
    }

    /** A deadman rule: silent (raised at its level) or not. */
    static Change deadman(AlertRule rule, AlertTrack track, boolean silent, long time) {
        return single(rule, track, silent, time);
    }

    /** A stuck rule: stuck (raised at its level) or not. */
    static Change stuck(AlertRule rule, AlertTrack track, boolean stuck, long time) {
        return single(rule, track, stuck, time);
    }

    /** An offline rule: the sensor is gone (raised at the rule's level) or back. */
    static Change offline(AlertRule rule, AlertTrack track, boolean offline, long time) {
        return single(rule, track, offline, time);
    }

    /** A single-level kind (deadman, stuck, offline): its condition holds (raised at the rule's level) or not. */
    private static Change single(AlertRule rule, AlertTrack track, boolean holds, long time) {
        int next = holds ? rule.deadmanLevel.ordinal() : -1;
        return commit(rule, track, escalate(rule, track, next, time), time);
    }

    /**
     * {@code escalate}: an alert raised {@code after} ago or longer (event time, since its raise) goes up to the rule's
     * {@code to} and stays at least there until it clears (a level it would go down to is held up); a higher level
     * that holds still raises it further.
     */
    private static int escalate(AlertRule rule, AlertTrack track, int next, long time) {
        if (!rule.escalates() || next < 0) {
            track.setEscalated(false);
            return next;
        }
        long raisedAt = track.getLevel() < 0 ? time : track.getRaisedAt();
        if (track.getEscalated() || time - raisedAt >= rule.escalateAfterMs) {
            track.setEscalated(true);
            return Math.max(next, rule.escalateTo);
        }
        return next;
    }

    /** The rule is deleted or replaced by an incompatible one: a raised alert is cleared. */
    static Change retire(AlertRule rule, AlertTrack track) {
        int before = track.getEmittedLevel();
        return before < 0 ? null : new Change(AlertState.CLEARED, Level.of(before), Level.of(before), false,
                track.getRaisedAt(), Double.NaN);
    }

    /** Moves the rule to level {@code next} (-1: clear) and says what consumers see of it. */
    private static Change commit(AlertRule rule, AlertTrack track, int next, long time) {
        int committed = track.getLevel();
        boolean changed = next != committed;
        if (changed) {
            if (committed < 0) {
                track.setRaisedAt(time);
            }
            track.setLevel(next);
        }
        if (!rule.flapping()) {
            return changed ? emit(rule, track, next, false) : null;
        }
        long mask = rule.flappingHistory == 64 ? -1L : (1L << rule.flappingHistory) - 1;
        track.setChanges(((track.getChanges() << 1) | (changed ? 1 : 0)) & mask);
        track.setEvaluations(Math.min(track.getEvaluations() + 1, rule.flappingHistory));
        double share = Long.bitCount(track.getChanges()) / (double) rule.flappingHistory;
        boolean full = track.getEvaluations() >= rule.flappingHistory;
        if (!track.getEmittedFlapping()) {
            if (full && share > rule.flappingHigh) {
                // held RAISED: at the level it is at, or was last seen at, or its lowest
                int held = next >= 0 ? next : track.getEmittedLevel() >= 0 ? track.getEmittedLevel() : lowest(rule);
                return emit(rule, track, held, true);
            }
            return changed ? emit(rule, track, next, false) : null;
        }
        if (share < rule.flappingLow) {
            return emit(rule, track, next, false);
        }
        return null;
    }

    /**
     * Records and returns what consumers see: level {@code level} (-1: cleared), flapping or not. The threshold is the
     * limit crossed: the new level's threshold going up, the old level's reset value going down or clearing, the
     * deadman's after in seconds, a stuck rule's for in seconds.
     */
    private static Change emit(AlertRule rule, AlertTrack track, int level, boolean flapping) {
        int before = track.getEmittedLevel();
        boolean flappingBefore = track.getEmittedFlapping();
        track.setEmittedLevel(level);
        track.setEmittedFlapping(flapping);
        if (level == before && flapping == flappingBefore) {
            return null;
        }
        if (level < 0) {
            return before < 0 ? null : new Change(AlertState.CLEARED, Level.of(before), Level.of(before), false,
                    track.getRaisedAt(), limit(rule, before, false));
        }
        return new Change(AlertState.RAISED, Level.of(level), Level.of(before), flapping, track.getRaisedAt(),
                limit(rule, level > before ? level : before, level > before));
    }

    private static double limit(AlertRule rule, int level, boolean up) {
        if (rule.escalates() && level == rule.escalateTo && Double.isNaN(rule.threshold(level))) {
            return rule.escalateAfterMs / 1000.0; // escalated to a level the rule has no threshold for: after, in seconds
        }
        if (rule.kind == RuleKind.DEADMAN) {
            return rule.afterMs / 1000.0;
        }
        if (rule.kind == RuleKind.STUCK) {
            return rule.holdMs / 1000.0;
        }
        if (rule.kind == RuleKind.OFFLINE) {
            return Double.NaN; // no limit: the sensor said so
        }
        return up ? rule.threshold(level) : rule.reset(level);
    }

    private static int lowest(AlertRule rule) {
        for (int level = 0; level < Level.values().length; level++) {
            if (!Double.isNaN(rule.threshold(level))) {
                return level;
            }
        }
        return rule.deadmanLevel.ordinal();
    }
}
