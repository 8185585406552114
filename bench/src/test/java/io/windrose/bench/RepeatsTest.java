package io.windrose.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatsTest {
    private static Map<String, Object> map(List<Object> keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.size(); i += 2) {
            map.put((String) keyValues.get(i), keyValues.get(i + 1));
        }
        return map;
    }

    @Test
    void ratiosArePairByPairThenTheirMedianAndSpread() {
        // the machine slows down in the second pair: each ratio is 1.5 or 2, whatever the absolute rates
        List<BrokerVsJobScenario.Run> runs = List.of(new BrokerVsJobScenario.Run(60_000, 10, 3),
                new BrokerVsJobScenario.Run(30_000, 20, 4), new BrokerVsJobScenario.Run(80_000, 8, 2));
        List<BrokerVsJobScenario.Peer> peers = List.of(new BrokerVsJobScenario.Peer(40_000, 30, 1),
                new BrokerVsJobScenario.Peer(15_000, 40, 2), new BrokerVsJobScenario.Peer(40_000, 32, 1));
        Map<String, Object> f = map(Repeats.figure(runs, peers, 100_000));
        assertEquals(2.0, f.get("ratio_to_peer"));
        assertEquals(1.5, f.get("ratio_to_peer_min"));
        assertEquals(2.0, f.get("ratio_to_peer_max"));
        assertEquals("1.500 2.000 2.000", f.get("ratio_to_peer_runs"));
        assertEquals(1.0 / 3, (double) f.get("cpu_ratio_to_peer"), 1e-12); // 10/30, 20/40, 8/32
        assertEquals(0.25, (double) f.get("cpu_ratio_to_peer_min"), 1e-12);
        assertEquals(2.0, f.get("influxd_cpu_ratio_to_peer"));
        assertEquals(60_000.0, f.get("msgs_per_s"));
        assertEquals(0.6, f.get("ratio_to_broker"));
        assertEquals(3, f.get("runs"));
    }

    @Test
    void withoutThePeerOnlyWindrosesOwnFigures() {
        Map<String, Object> f = map(Repeats.figure(List.of(new BrokerVsJobScenario.Run(50_000, 10, 3),
                new BrokerVsJobScenario.Run(70_000, 12, 3)), List.of(), 100_000));
        assertFalse(f.containsKey("ratio_to_peer"));
        assertEquals(60_000.0, f.get("msgs_per_s"));
        assertEquals(11.0, f.get("cpu_us_per_reading"));
    }

    @Test
    void medianPeerTakesEachFiguresMedian() {
        BrokerVsJobScenario.Peer p = Repeats.medianPeer(List.of(new BrokerVsJobScenario.Peer(1, 30, 9),
                new BrokerVsJobScenario.Peer(3, 10, 7), new BrokerVsJobScenario.Peer(2, 20, 8)));
        assertEquals(new BrokerVsJobScenario.Peer(2, 20, 8), p);
    }
}
