package io.windrose.alert;

import java.io.Serializable;

/** A threshold on one field: holds while the value is above (or below) the threshold. */
public final class ThresholdRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Which side of the threshold raises the alert. */
    public enum Direction { ABOVE, BELOW }

    private final String name;
    private final String field;
    private final Direction direction;
    private final double threshold;
    private final String level;

    public ThresholdRule(String name, String field, Direction direction, double threshold, String level) {
        this.name = name;
        this.field = field;
        this.direction = direction;
        this.threshold = threshold;
        this.level = level;
    }

    public String name() {
        return name;
    }

    public String field() {
        return field;
    }

    public double threshold() {
        return threshold;
    }

    public String level() {
        return level;
    }

    /** Whether a value is on the alerting side of the threshold (strictly). */
    public boolean holds(double value) {
        return direction == Direction.ABOVE ? value > threshold : value < threshold;
    }
}
