package io.windrose.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.windrose.alert.Level;
import io.windrose.alert.RuleKind;
import io.windrose.schema.AlertEvent;
import io.windrose.schema.AlertState;
import io.windrose.schema.ExtraFieldStats;
import io.windrose.schema.FieldStats;
import io.windrose.schema.SensorAggregate;
import io.windrose.window.Stat;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InfluxPointsTest {
    private static final Set<Stat> SIX = EnumSet.of(Stat.COUNT, Stat.MIN, Stat.MAX, Stat.MEAN, Stat.SUM, Stat.LAST);

    @Test
    void aggregateFollowsTheDataContract() {
        SensorAggregate aggregate = SensorAggregate.newBuilder().setMeasurement("sensors").setSensorId("s-1")
                .setTags(Map.of("site", "site-a")).setWindow("10s")
                .setWindowStart(Instant.ofEpochMilli(1764144000000L)).setWindowEnd(Instant.ofEpochMilli(1764144010000L))
                .setFields(Map.of("temperature", new FieldStats(2L, 21.0, 35.0, 28.0, 56.0, 35.0)))
                .build();
        assertThat(InfluxPoints.aggregate(aggregate, SIX).toLineProtocol()).isEqualTo(
                "sensors,sensor=s-1,site=site-a,window=10s temperature_count=2i,temperature_last=35.0,"
                        + "temperature_max=35.0,temperature_mean=28.0,temperature_min=21.0,temperature_sum=56.0 1764144000000");
    }

    @Test
    void theChosenStatisticsAndASessionsEnd() {
        SensorAggregate aggregate = SensorAggregate.newBuilder().setMeasurement("sensors").setSensorId("s-1")
                .setTags(Map.of()).setWindow("session")
                .setWindowStart(Instant.ofEpochMilli(1000L)).setWindowEnd(Instant.ofEpochMilli(9000L))
                .setFields(Map.of("t", new FieldStats(1L, 2.0, 2.0, 2.0, 2.0, 2.0),
                        "v", new FieldStats(3L, 1.0, 3.0, 2.0, 6.0, 3.0)))
                .setExtraStats(Map.of("t", new ExtraFieldStats(2.0, null, 2.0, null, null, 2.0),
                        "v", new ExtraFieldStats(1.0, 1.0, 2.0, null, null, 3.0)))
                .build();
        assertThat(InfluxPoints.aggregate(aggregate, EnumSet.of(Stat.COUNT, Stat.STDEV, Stat.P50, Stat.P99))
                .toLineProtocol()).as("no stdev for one reading").isEqualTo("sensors,sensor=s-1,window=session "
                + "t_count=1i,t_p50=2.0,t_p99=2.0,v_count=3i,v_p50=2.0,v_p99=3.0,v_stdev=1.0,window_end=9000i 1000");
    }

    @Test
    void alertFollowsTheDataContract() {
        AlertEvent alert = AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("sensors").setTags(Map.of())
                .setRule("too-hot").setLevel("critical").setState(AlertState.RAISED).setField("temperature")
                .setValue(35.0).setThreshold(30.0).setEventTime(Instant.ofEpochMilli(1764144005000L)).build();
        assertThat(InfluxPoints.alert(alert).toLineProtocol()).isEqualTo("alerts,level=critical,rule=too-hot,sensor=s-1"
                + " flapping=false,kind=\"threshold\",state=\"RAISED\",threshold=30.0,value=35.0 1764144005000");
        alert.setPreviousLevel("warning");
        alert.setMessage("s-1: \"hot\"\nnow");
        alert.setKind("rate");
        assertThat(InfluxPoints.alert(alert).toLineProtocol()).isEqualTo("alerts,level=critical,rule=too-hot,sensor=s-1"
                + " flapping=false,kind=\"rate\",message=\"s-1: \\\"hot\\\" now\",previous_level=\"warning\","
                + "state=\"RAISED\",threshold=30.0,value=35.0 1764144005000");
    }

    @Test
    void anAckedAlertCarriesAckedAndItsCommentAShelvedOneShelved() {
        AlertEvent alert = AlertEvent.newBuilder().setSensorId("s-1").setMeasurement("m").setRule("too-hot")
                .setLevel("warning").setState(AlertState.RAISED).setField("t").setValue(31).setThreshold(30)
                .setEventTime(Instant.ofEpochMilli(1_000)).setAcked(true).setAckComment("on it,\nPat")
                .setShelved(true).build();
        assertThat(InfluxPoints.alert(alert).toLineProtocol()).isEqualTo("alerts,level=warning,rule=too-hot,sensor=s-1"
                + " ack_comment=\"on it, Pat\",acked=true,flapping=false,kind=\"threshold\",shelved=true,state=\"RAISED\","
                + "threshold=30.0,value=31.0 1000");
    }

    @Test
    void namesDoNotDependOnTheDefaultLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "MIN".toLowerCase() is "mın"
        try {
            assertThat(Stat.MIN + " " + Stat.LAST + " " + Level.CRITICAL + " " + RuleKind.DEADMAN)
                    .isEqualTo("min last critical deadman");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void tagValuesCannotInjectTagsFieldsOrPoints() {
        SensorAggregate aggregate = SensorAggregate.newBuilder().setMeasurement("sensors").setSensorId("s 1,evil=1")
                .setTags(Map.of("site", "a=b c")).setWindow("10s")
                .setWindowStart(Instant.ofEpochMilli(0)).setWindowEnd(Instant.ofEpochMilli(10_000))
                .setFields(Map.of("t", new FieldStats(1L, 1.0, 1.0, 1.0, 1.0, 1.0))).build();
        String line = InfluxPoints.aggregate(aggregate, SIX).toLineProtocol();
        assertThat(line).startsWith("sensors,sensor=s\\ 1\\,evil\\=1,site=a\\=b\\ c,window=10s ");
    }

    @Test
    void backslashesAndControlCharactersCannotEscapeASeparator() {
        SensorAggregate aggregate = SensorAggregate.newBuilder().setMeasurement("m\\").setSensorId("x\\")
                .setTags(Map.of("site", "a\\,b=c\u0000")).setWindow("10s")
                .setWindowStart(Instant.ofEpochMilli(0)).setWindowEnd(Instant.ofEpochMilli(10_000))
                .setFields(Map.of("t\\", new FieldStats(1L, 1.0, 1.0, 1.0, 1.0, 1.0))).build();
        assertThat(InfluxPoints.aggregate(aggregate, SIX).toLineProtocol())
                .startsWith("m\u29F5,sensor=x\u29F5,site=a\u29F5\\,b\\=c\uFFFD,window=10s t\u29F5_count=1i,");
    }
}
