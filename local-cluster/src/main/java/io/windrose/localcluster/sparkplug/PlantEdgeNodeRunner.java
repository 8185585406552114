package io.windrose.localcluster.sparkplug;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a {@link PlantEdgeNode} on a broker: one MQTT connection of its own ({@link SparkplugClient}, client id
 * {@code windrose-simulator-sparkplug}, NDEATH as the will, reconnecting with the next bdSeq), the births after each
 * connection, a {@link PlantEdgeNode#tick} every second of the clock, and each command in between as it comes — all
 * from the thread that runs this, so the node's state has one writer. {@link #close()} publishes the NDEATH and
 * disconnects. The clock is the wall clock, or one a test gives (e.g. the wall clock moved to just before oven-1's death
 * in the cycle): the schedule is {@link PlantEdgeNode}'s either way.
 */
public final class PlantEdgeNodeRunner implements Runnable, AutoCloseable {
    public static final String CLIENT_ID = "windrose-simulator-sparkplug";
    private static final Object CONNECTED = new Object();

    private final String host;
    private final int port;
    private final PlantEdgeNode plant = new PlantEdgeNode();
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final LongSupplier clock;
    private volatile boolean running = true;

    public PlantEdgeNodeRunner(String host, int port) {
        this(host, port, System::currentTimeMillis);
    }

    /** @param clock the time in epoch ms the node lives by (its schedule, timestamps and ticks: one per second of it) */
    public PlantEdgeNodeRunner(String host, int port, LongSupplier clock) {
        this.host = host;
        this.port = port;
        this.clock = clock;
    }

    @Override
    public void run() {
        SparkplugClient client = SparkplugClient.connect(host, port, CLIENT_ID, plant.node(), events::add, true,
                () -> events.add(CONNECTED));
        try {
            while (running) {
                long now = clock.getAsLong();
                Object event = events.poll(1000 - Math.floorMod(now, 1000L), TimeUnit.MILLISECONDS);
                now = clock.getAsLong();
                List<SparkplugMessage> messages;
                if (event == CONNECTED) {
                    messages = plant.births(now);
                } else if (event instanceof EdgeNode.Command command) {
                    messages = plant.onCommand(command, now);
                } else if (plant.node().seq() >= 0) {
                    messages = plant.tick(now);
                } else {
                    continue;
                }
                for (SparkplugMessage message : messages) {
                    try {
                        client.publish(message);
                    } catch (RuntimeException e) { // not connected: the births after the reconnection start over
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    /** Stops within a second: the NDEATH is published, then the client disconnects. */
    @Override
    public void close() {
        running = false;
    }
}
