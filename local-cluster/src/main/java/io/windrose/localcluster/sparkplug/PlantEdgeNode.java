package io.windrose.localcluster.sparkplug;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The local stack's Sparkplug B edge node: group {@code plant-1}, edge node {@code edge-1}, devices {@code press-1}
 * (Pressure Double bar, Cycles UInt32, Running Boolean) and {@code oven-1} (Temperature Float °C, Door Open Boolean,
 * Fan Boolean, writable by DCMD), and the node's own Uptime (UInt64 s). A function of the wall clock, like the
 * simulator's sensors, on a five-minute cycle ({@link #CYCLE_MS}):
 * <ul>
 *   <li>every {@link #DATA_PERIOD_MS} (on even seconds of the clock) a DDATA of each online device with all its metrics,
 *       by alias; every {@link #NDATA_PERIOD_MS} an NDATA with the node's Uptime;</li>
 *   <li>at 2:30 of each cycle a DDEATH of {@code oven-1}, at 2:50 its DBIRTH (20 s later), with its door open until 3:00;
 *       a start inside that window leaves it out of the first births;</li>
 *   <li>{@code press-1} stops from 4:00 to 4:30 of each cycle (Running false, Cycles still, Pressure near 1 bar);</li>
 *   <li>an NCMD {@code Node Control/Rebirth} = true: the NBIRTH and the DBIRTHs of the online devices, seq from 0;</li>
 *   <li>a DCMD on {@code oven-1}'s Fan (by alias or name): the fan is switched and the next DDATA reports it; while on
 *       it cools the oven by one degree a DDATA, up to 20 °C (off: it warms back the same way).</li>
 * </ul>
 * The noise comes from one generator seeded with 7 (not the sensors'): the same clock and commands give the same
 * messages. Not thread safe: {@link #births}, {@link #tick} and {@link #onCommand} are called from one thread.
 */
public final class PlantEdgeNode {
    public static final String GROUP = "plant-1";
    public static final String EDGE_NODE = "edge-1";
    public static final String PRESS = "press-1";
    public static final String OVEN = "oven-1";
    public static final long CYCLE_MS = 5 * 60_000;
    /** oven-1's DDEATH, in ms of the cycle (2:30). */
    public static final long OVEN_DEATH_AT = 150_000;
    /** oven-1's DBIRTH, in ms of the cycle (2:50: 20 s after its death). */
    public static final long OVEN_BIRTH_AT = 170_000;
    /** oven-1's door is open from its birth to here (3:00). */
    public static final long DOOR_CLOSED_AT = 180_000;
    /** press-1 stops from 4:00 to 4:30. */
    public static final long PRESS_STOP_AT = 240_000;
    public static final long PRESS_START_AT = 270_000;
    public static final long DATA_PERIOD_MS = 2_000;
    public static final long NDATA_PERIOD_MS = 10_000;

    private final EdgeNode node = new EdgeNode(GROUP, EDGE_NODE)
            .nodeMetric("Uptime", 1, DataType.UINT64, 0L)
            .deviceMetric(PRESS, "Pressure", 10, DataType.DOUBLE, 6.0)
            .deviceMetric(PRESS, "Cycles", 11, DataType.UINT32, 0L)
            .deviceMetric(PRESS, "Running", 12, DataType.BOOLEAN, true)
            .deviceMetric(OVEN, "Temperature", 20, DataType.FLOAT, 180f)
            .deviceMetric(OVEN, "Door Open", 21, DataType.BOOLEAN, false)
            .deviceMetric(OVEN, "Fan", 22, DataType.BOOLEAN, false);
    private final Random random = new Random(7);
    private long started = -1;
    private long lastDataSlot = Long.MIN_VALUE;
    private long lastNdataSlot = Long.MIN_VALUE;
    private double cooling;

    /** The node (its definitions, bdSeq, seq and current values). */
    public EdgeNode node() {
        return node;
    }

    /** Whether oven-1 is meant to be online at that time (outside 2:30–2:50 of the cycle). */
    public static boolean ovenOnline(long now) {
        long phase = Math.floorMod(now, CYCLE_MS);
        return phase < OVEN_DEATH_AT || phase >= OVEN_BIRTH_AT;
    }

    /** Whether press-1 is running at that time (outside 4:00–4:30 of the cycle). */
    public static boolean pressRunning(long now) {
        long phase = Math.floorMod(now, CYCLE_MS);
        return phase < PRESS_STOP_AT || phase >= PRESS_START_AT;
    }

    /**
     * The complete birth sequence, after a connection or on a rebirth request: the NBIRTH ({@code seq} 0) and the
     * DBIRTHs of the devices meant to be online, with current values.
     */
    public List<SparkplugMessage> births(long now) {
        if (started < 0) {
            started = now;
        }
        // the births carry the current values: the next data in the next period
        lastDataSlot = Math.floorDiv(now, DATA_PERIOD_MS);
        lastNdataSlot = Math.floorDiv(now, NDATA_PERIOD_MS);
        node.set(null, "Uptime", (now - started) / 1000);
        List<SparkplugMessage> births = new ArrayList<>();
        births.add(node.nbirth(now));
        births.add(node.dbirth(PRESS, now));
        if (ovenOnline(now)) {
            node.set(OVEN, "Door Open", doorOpen(now));
            births.add(node.dbirth(OVEN, now));
        }
        return births;
    }

    /** What the node publishes at {@code now} (call it every second or so, after {@link #births}). */
    public List<SparkplugMessage> tick(long now) {
        List<SparkplugMessage> out = new ArrayList<>();
        boolean oven = ovenOnline(now);
        if (node.online(OVEN) && !oven) {
            out.add(node.ddeath(OVEN, now));
        } else if (!node.online(OVEN) && oven) {
            node.set(OVEN, "Door Open", doorOpen(now));
            out.add(node.dbirth(OVEN, now));
        }
        long dataSlot = Math.floorDiv(now, DATA_PERIOD_MS);
        if (dataSlot != lastDataSlot) {
            lastDataSlot = dataSlot;
            out.add(node.ddata(PRESS, now, press(now)));
            if (node.online(OVEN)) {
                out.add(node.ddata(OVEN, now, oven(now)));
            }
        }
        long ndataSlot = Math.floorDiv(now, NDATA_PERIOD_MS);
        if (ndataSlot != lastNdataSlot) {
            lastNdataSlot = ndataSlot;
            out.add(node.ndata(now, Map.of("Uptime", (now - started) / 1000)));
        }
        return out;
    }

    /** What the node publishes in answer to a command: the births on a rebirth request; a Fan write only sets it. */
    public List<SparkplugMessage> onCommand(EdgeNode.Command command, long now) {
        if (OVEN.equals(command.device()) && command.writes().get("Fan") instanceof Boolean fan) {
            node.set(OVEN, "Fan", fan);
        }
        return command.rebirth() ? births(now) : List.of();
    }

    private Map<String, Object> press(long now) {
        boolean running = pressRunning(now);
        double noise = random.nextGaussian();
        double pressure = running ? 6 + 0.5 * Math.sin(now / 90_000.0 * 2 * Math.PI) + 0.05 * noise : 1 + 0.02 * noise;
        long cycles = (Long) node.value(PRESS, "Cycles") + (running ? 1 : 0);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Pressure", Math.round(pressure * 1000) / 1000.0);
        values.put("Cycles", cycles & 0xFFFF_FFFFL);
        values.put("Running", running);
        return values;
    }

    private Map<String, Object> oven(long now) {
        boolean fan = (Boolean) node.value(OVEN, "Fan");
        cooling = Math.max(0, Math.min(20, cooling + (fan ? 1 : -1)));
        boolean door = doorOpen(now);
        double temperature = 180 + 5 * Math.sin(now / 120_000.0 * 2 * Math.PI) - cooling - (door ? 10 : 0)
                + 0.5 * random.nextGaussian();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Temperature", (float) (Math.round(temperature * 10) / 10.0));
        values.put("Door Open", door);
        values.put("Fan", fan);
        return values;
    }

    private static boolean doorOpen(long now) {
        long phase = Math.floorMod(now, CYCLE_MS);
        return phase >= OVEN_BIRTH_AT && phase < DOOR_CLOSED_AT;
    }
}
