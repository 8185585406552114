package io.windrose.localcluster.sparkplug;

import static io.windrose.localcluster.sparkplug.PlantEdgeNode.OVEN;
import static io.windrose.localcluster.sparkplug.PlantEdgeNode.PRESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated edge node's schedule, on a clock of the test's own (ticks a second apart, 37 ms after the second). */
class PlantEdgeNodeTest {
    /** The start of a five-minute cycle of the wall clock. */
    private static final long T0 = 1_700_000_100_000L;

    record Sent(long at, SparkplugMessage message) {
        String type() {
            return message.topic().type();
        }

        String device() {
            return message.topic().device();
        }

        long phase() {
            return (at - T0) % PlantEdgeNode.CYCLE_MS;
        }
    }

    private static List<Sent> run(PlantEdgeNode plant, long from, long to, Map<Long, EdgeNode.Command> commands) {
        List<Sent> sent = new ArrayList<>();
        plant.node().connectWill();
        plant.births(from).forEach(m -> sent.add(new Sent(from, m)));
        for (long now = from + 1000; now < to; now += 1000) {
            EdgeNode.Command command = commands.get(now);
            if (command != null) {
                for (SparkplugMessage m : plant.onCommand(command, now)) {
                    sent.add(new Sent(now, m));
                }
            }
            for (SparkplugMessage m : plant.tick(now)) {
                sent.add(new Sent(now, m));
            }
        }
        return sent;
    }

    @Test
    void oven1DiesAt2m30OfEveryCycleAndIsBornAgain20sLaterWithItsDoorOpen() {
        List<Sent> sent = run(new PlantEdgeNode(), T0 + 37, T0 + 37 + 2 * PlantEdgeNode.CYCLE_MS, Map.of());
        List<Sent> deaths = sent.stream().filter(s -> s.type().equals("DDEATH")).toList();
        assertThat(deaths).extracting(Sent::device).containsOnly(OVEN);
        assertThat(deaths).extracting(s -> s.at() - T0).containsExactly(150_037L, 450_037L);
        List<Sent> rebirths = sent.stream().filter(s -> s.type().equals("DBIRTH") && s.at() > T0 + 37).toList();
        assertThat(rebirths).extracting(Sent::device).containsOnly(OVEN);
        assertThat(rebirths).extracting(s -> s.at() - T0).containsExactly(170_037L, 470_037L);
        assertThat(rebirths.get(0).message().decoded().metric("Door Open").value()).isEqualTo(true);
        // nothing from oven-1 while it is dead; its door closes at 3:00
        for (Sent s : sent) {
            if (OVEN.equals(s.device()) && s.type().equals("DDATA")) {
                assertThat(s.phase() >= 150_000 && s.phase() < 170_000).as("oven DDATA at %d", s.phase()).isFalse();
                Metric door = s.message().decoded().metric(21);
                assertThat(door.value()).as("door at %d", s.phase()).isEqualTo(s.phase() >= 170_000 && s.phase() < 180_000);
            }
        }
    }

    @Test
    void dataByAliasEveryTwoSecondsWithSeqUnbroken() {
        List<Sent> sent = run(new PlantEdgeNode(), T0 + 37, T0 + 37 + PlantEdgeNode.CYCLE_MS, Map.of());
        assertThat(sent.get(0).type()).isEqualTo("NBIRTH");
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).message().decoded().seq()).as("message %d", i).isEqualTo((long) (i % 256));
        }
        List<Sent> press = sent.stream().filter(s -> PRESS.equals(s.device()) && s.type().equals("DDATA")).toList();
        assertThat(press).hasSize(149); // from 2 s after the births to 4:58
        assertThat(press.get(0).at()).isEqualTo(T0 + 2037);
        for (int i = 1; i < press.size(); i++) {
            assertThat(press.get(i).at() - press.get(i - 1).at()).isEqualTo(2000);
        }
        assertThat(sent.stream().filter(s -> s.type().equals("NDATA"))).hasSize(29);
        for (Sent s : sent) {
            if (s.type().endsWith("DATA")) {
                assertThat(s.message().decoded().metrics()).allSatisfy(m -> {
                    assertThat(m.name()).isNull();
                    assertThat(m.alias()).isNotNull();
                    assertThat(m.timestamp()).isEqualTo(s.at());
                });
            }
        }
        // press-1 stops from 4:00 to 4:30: Running false, Cycles still
        for (Sent s : press) {
            Payload p = s.message().decoded();
            boolean stopped = s.phase() >= 240_000 && s.phase() < 270_000;
            assertThat(p.metric(12).value()).isEqualTo(!stopped);
            assertThat((Double) p.metric(10).value()).isBetween(stopped ? 0.8 : 5.2, stopped ? 1.2 : 6.8);
        }
        long cyclesAtStop = (Long) press.stream().filter(s -> s.phase() == 240_037).findFirst().orElseThrow()
                .message().decoded().metric(11).value();
        long cyclesAtStart = (Long) press.stream().filter(s -> s.phase() == 270_037).findFirst().orElseThrow()
                .message().decoded().metric(11).value();
        assertThat(cyclesAtStart).isEqualTo(cyclesAtStop + 1);
    }

    @Test
    void aRebirthRequestGivesTheWholeBirthSequenceWithSeqFromZero() {
        EdgeNode.Command rebirth = new EdgeNode.Command(null, true, Map.of(), List.of());
        List<Sent> sent = run(new PlantEdgeNode(), T0 + 37, T0 + 200_037,
                Map.of(T0 + 60_037, rebirth, T0 + 160_037, rebirth));
        List<Sent> births = sent.stream().filter(s -> s.type().endsWith("BIRTH")).toList();
        assertThat(births).extracting(s -> s.at() - T0, Sent::device, s -> s.message().decoded().seq())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(37L, null, 0L),
                        org.assertj.core.groups.Tuple.tuple(37L, PRESS, 1L),
                        org.assertj.core.groups.Tuple.tuple(37L, OVEN, 2L),
                        org.assertj.core.groups.Tuple.tuple(60_037L, null, 0L),
                        org.assertj.core.groups.Tuple.tuple(60_037L, PRESS, 1L),
                        org.assertj.core.groups.Tuple.tuple(60_037L, OVEN, 2L),
                        // oven-1 is dead from 2:30: the rebirth leaves it out until its own DBIRTH at 2:50
                        org.assertj.core.groups.Tuple.tuple(160_037L, null, 0L),
                        org.assertj.core.groups.Tuple.tuple(160_037L, PRESS, 1L),
                        // after 4 DDATA of press-1 (162…168 s) and its NDATA (170 s): seq 6
                        org.assertj.core.groups.Tuple.tuple(170_037L, OVEN, 6L));
        // the NBIRTHs carry the will's bdSeq
        assertThat(births.stream().filter(s -> s.type().equals("NBIRTH")))
                .allSatisfy(s -> assertThat(s.message().decoded().metric("bdSeq").value()).isEqualTo(0L));
    }

    @Test
    void aFanSwitchedByDcmdIsReportedInTheNextDdataAndCoolsTheOven() {
        EdgeNode.Command fanOn = new EdgeNode.Command(OVEN, false, Map.of("Fan", true), List.of());
        List<Sent> with = run(new PlantEdgeNode(), T0 + 37, T0 + 60_037, Map.of(T0 + 10_037, fanOn));
        List<Sent> without = run(new PlantEdgeNode(), T0 + 37, T0 + 60_037, Map.of());
        assertThat(with.stream().filter(s -> s.at() == T0 + 10_037 && OVEN.equals(s.device())))
                .singleElement().satisfies(s -> assertThat(s.message().decoded().metric(22).value()).isEqualTo(true));
        assertThat(with.stream().filter(s -> s.at() < T0 + 10_037 && OVEN.equals(s.device()) && s.type().equals("DDATA")))
                .allSatisfy(s -> assertThat(s.message().decoded().metric(22).value()).isEqualTo(false));
        float cooled = (Float) lastOvenData(with).metric(20).value();
        float warm = (Float) lastOvenData(without).metric(20).value();
        assertThat(warm - cooled).isEqualTo(20f, org.assertj.core.data.Offset.offset(0.11f)); // 25 DDATA: at most 20 °C
        // before the command both ran alike: the same clock gives the same messages
        for (int i = 0; i < 10; i++) {
            assertThat(with.get(i).message().payload()).isEqualTo(without.get(i).message().payload());
        }
    }

    private static Payload lastOvenData(List<Sent> sent) {
        return sent.stream().filter(s -> OVEN.equals(s.device()) && s.type().equals("DDATA"))
                .reduce((a, b) -> b).orElseThrow().message().decoded();
    }

    @Test
    void startedWhileOven1IsDeadItIsBornAt2m50() {
        List<Sent> sent = run(new PlantEdgeNode(), T0 + 155_000, T0 + 175_000, Map.of());
        assertThat(sent.stream().filter(s -> s.type().endsWith("BIRTH")))
                .extracting(s -> s.at() - T0, Sent::device)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(155_000L, null),
                        org.assertj.core.groups.Tuple.tuple(155_000L, PRESS),
                        org.assertj.core.groups.Tuple.tuple(170_000L, OVEN));
        assertThat(sent.stream().filter(s -> s.type().equals("DDEATH"))).isEmpty();
    }
}
