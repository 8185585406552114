package io.windrose.window;

import org.apache.flink.streaming.api.windowing.triggers.EventTimeTrigger;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Fires a window at its end, as Flink's {@link EventTimeTrigger} does, on the window operator's cleanup timer instead
 * of a timer of its own: with no allowed lateness both are due at the window's last millisecond, and the operator
 * calls the trigger for every event-time timer of the window before it clears the window. Flink's trigger registers
 * its timer again for every reading, each time a lookup in the timer set that finds the cleanup timer the operator
 * registers for the same reading: the two registrations were 9 % of the keyed task in the e2e profile. Only for
 * windows that do not merge and no allowed lateness (see {@link #replaces}); the timers in state are the same.
 */
final class WindowEndTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    /** Whether this trigger fires exactly as Flink's default one does for such windows. */
    static boolean replaces(boolean mergingWindows, long allowedLatenessMs) {
        return !mergingWindows && allowedLatenessMs == 0;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx) {
        // as EventTimeTrigger; with no allowed lateness the operator has already sent such a reading to the late output
        return window.maxTimestamp() <= ctx.getCurrentWatermark() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) {
        return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) {
        return TriggerResult.CONTINUE;
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) {
        // no timer of its own to delete
    }

    @Override
    public String toString() {
        return "WindowEndTrigger()";
    }
}
