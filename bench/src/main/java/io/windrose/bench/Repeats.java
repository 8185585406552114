package io.windrose.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code --repeat N}: the peer and Windrose run in turn N times; the ratios are taken pair by pair (each Windrose run
 * against the peer run just before it, so that a drift of the machine's speed cancels) and reported as their median
 * with the spread (min–max): one lucky run never decides.
 */
final class Repeats {
    private Repeats() {}

    /** The median of each of the peer's figures over its runs (for the ratios of the runs after the series). */
    static BrokerVsJobScenario.Peer medianPeer(List<BrokerVsJobScenario.Peer> runs) {
        return new BrokerVsJobScenario.Peer(median(runs, BrokerVsJobScenario.Peer::rate),
                median(runs, BrokerVsJobScenario.Peer::cpuPerReading),
                median(runs, BrokerVsJobScenario.Peer::influxdCpuPerReading));
    }

    /** The median of each of Windrose's figures over its runs. */
    static BrokerVsJobScenario.Run medianRun(List<BrokerVsJobScenario.Run> runs) {
        return new BrokerVsJobScenario.Run(median(runs, BrokerVsJobScenario.Run::rate),
                median(runs, BrokerVsJobScenario.Run::cpuPerReading),
                median(runs, BrokerVsJobScenario.Run::influxdCpuPerReading));
    }

    /**
     * The series' line: for each figure its median, min, max and the runs' values in order; the ratios to the peer pair
     * by pair ({@code peers} empty: without the peer, Windrose's own figures only).
     */
    static List<Object> figure(List<BrokerVsJobScenario.Run> runs, List<BrokerVsJobScenario.Peer> peers, double brokerRate) {
        List<Object> figure = new ArrayList<>();
        List<Double> rates = runs.stream().map(BrokerVsJobScenario.Run::rate).toList();
        Stats.Spread rate = Stats.spread(rates);
        figure.addAll(List.of("msgs_per_s", rate.median(), "ratio_to_broker", rate.median() / brokerRate));
        if (peers.size() == runs.size()) {
            List<Double> ratios = new ArrayList<>();
            List<Double> cpuRatios = new ArrayList<>();
            List<Double> influxdRatios = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                ratios.add(runs.get(i).rate() / peers.get(i).rate());
                cpuRatios.add(runs.get(i).cpuPerReading() / peers.get(i).cpuPerReading());
                influxdRatios.add(runs.get(i).influxdCpuPerReading() / peers.get(i).influxdCpuPerReading());
            }
            add(figure, "ratio_to_peer", ratios);
            add(figure, "cpu_ratio_to_peer", cpuRatios);
            add(figure, "influxd_cpu_ratio_to_peer", influxdRatios);
            add(figure, "peer_msgs_per_s", peers.stream().map(BrokerVsJobScenario.Peer::rate).toList());
        }
        add(figure, "windrose_msgs_per_s", rates);
        add(figure, "cpu_us_per_reading", runs.stream().map(BrokerVsJobScenario.Run::cpuPerReading).toList());
        figure.addAll(List.of("runs", runs.size(), "order", "peer, Windrose, peer, Windrose, …; ratios pair by pair"));
        return figure;
    }

    private static void add(List<Object> figure, String name, List<Double> values) {
        Stats.Spread s = Stats.spread(values);
        figure.addAll(List.of(name, s.median(), name + "_min", s.min(), name + "_max", s.max(),
                name + "_runs", Stats.list(Stats.toArray(values))));
    }

    private static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        return Stats.spread(runs.stream().map(figure::applyAsDouble).toList()).median();
    }
}
