package io.windrose.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.state.AlertTrack;
import java.util.ArrayList;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
    @Test
    void aFreshTrackHoldsTheSchemasDefaults() {
        AlertTrack byBuilder = AlertTrack.newBuilder()
                .setSince(new ArrayList<>(Collections.nCopies(Level.values().length, AlertTracker.NEVER)))
                .setPoints(new ArrayList<>()).build();
        assertThat(AlertTracker.fresh()).isEqualTo(byBuilder);
        assertThat(AlertTracker.fresh().getSince()).as("a list of its own").isNotSameAs(AlertTracker.fresh().getSince());
    }
}
