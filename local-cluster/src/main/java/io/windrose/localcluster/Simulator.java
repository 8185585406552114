package io.windrose.localcluster;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.windrose.localcluster.sparkplug.PlantEdgeNodeRunner;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Publishes canonical readings {@code {"sensor":"s-1","ts":…,"temperature":…,"humidity":…}} to
 * {@code sensors/<site>/<sensor>} at a fixed rate, in turn for sensors {@code s-1}…{@code s-n} on sites {@code site-a},
 * {@code site-b}, {@code site-c}; with {@link DevicePayloads}, also one device-shaped message per round of the sensors,
 * in turn a Zigbee2MQTT sensor, a Tasmota plug, a Shelly and an Avro gateway (the routes of
 * local-cluster/examples/device-routes.yaml).
 *
 * <p>Most sensors follow a temperature wave of ±10 °C a minute (with noise of σ 1 °C), so that threshold and rate alerts
 * fire now and then, and obey their fan ({@code devices/<sensor>/fan/set}). With four sensors or more the last three
 * have something for the other kinds of rule to find ({@link Role}), on a five-minute cycle of the wall clock: the
 * freezing one repeats its last reading in minutes 1 and 2, the quiet one steps 3 °C away in minute 3, the pausing one
 * is silent in minute 4. The noise comes from one generator seeded with 42: the same clock and fan commands give the
 * same readings.
 *
 * <p>With {@code sparkplug}, also a Sparkplug B edge node ({@link io.windrose.localcluster.sparkplug.PlantEdgeNode}: group {@code plant-1}, edge node
 * {@code edge-1}, devices {@code press-1} and {@code oven-1}) on a connection and thread of its own, so the sensors'
 * schedule is untouched: births, data by alias every two seconds, a death and birth of {@code oven-1} every five
 * minutes, rebirths on request and {@code oven-1}'s Fan switched by DCMD.
 */
public final class Simulator implements Runnable, AutoCloseable {
    /** The length of the cycle of the special sensors' behaviour, in minutes of the wall clock. */
    static final int CYCLE_MINUTES = 5;
    /** The quiet sensor's step (°C), up in one cycle and down in the next. */
    static final double STEP = 3;

    /** What a sensor does; with {@code n >= 4} sensors, {@code s-(n-2)}, {@code s-(n-1)} and {@code s-n} have a role. */
    public enum Role {
        /** 22 °C ± 10 (a one-minute wave) + noise of σ 1, minus what its fan cools. */
        WAVE,
        /** A wave sensor that sends nothing in minute 4 of each cycle (for deadman rules). */
        PAUSES,
        /** 20 °C ± 0.2 (noise σ), drifting by ±2 °C over the day (a sine of the time of day, at most 0.52 °C an hour),
         * and 3 °C away for minute 3 of each cycle: up in one cycle, down in the next (for anomaly rules). */
        QUIET,
        /** A wave sensor that repeats its last reading exactly (temperature and humidity) in minutes 1 and 2 of each
         * cycle, still reporting at its rate (for stuck rules). */
        FREEZES
    }

    /** One reading of the simulation; a paused one is not published. */
    public record Reading(String sensor, String site, long ts, double temperature, double humidity, boolean paused) {
        public String topic() {
            return "sensors/" + site + "/" + sensor;
        }

        public String json() {
            return canonicalJson(sensor, ts, temperature, humidity);
        }
    }

    private final String host;
    private final int port;
    private final int sensors;
    private final double readingsPerSecond;
    private final DevicePayloads devices;
    private final boolean sparkplug;
    private volatile PlantEdgeNodeRunner edgeNode;
    private volatile boolean running = true;
    private final java.util.Map<String, Boolean> fans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Double> coolings = new java.util.HashMap<>();
    private final java.util.Map<String, Reading> last = new java.util.HashMap<>();
    private final Random random = new Random(42);
    private long published;

    /**
     * @param sensors how many sensors, {@code s-1}…{@code s-n}, take turns
     * @param readingsPerSecond readings of all sensors together (each sensor sends {@code readingsPerSecond / sensors})
     * @param devices device-shaped payloads to mix in, or null for canonical readings only
     */
    public Simulator(String host, int port, int sensors, double readingsPerSecond, DevicePayloads devices) {
        this(host, port, sensors, readingsPerSecond, devices, false);
    }

    /**
     * @param sparkplug whether {@link #run} also runs the Sparkplug B edge node {@code plant-1/edge-1}
     *     ({@link PlantEdgeNodeRunner}, its own MQTT connection)
     */
    public Simulator(String host, int port, int sensors, double readingsPerSecond, DevicePayloads devices,
            boolean sparkplug) {
        this.sparkplug = sparkplug;
        this.host = host;
        this.port = port;
        this.sensors = sensors;
        this.readingsPerSecond = readingsPerSecond;
        this.devices = devices;
    }

    /** The canonical payload for one reading. */
    public static String canonicalJson(String sensor, long ts, double temperature, double humidity) {
        return String.format(Locale.ROOT, "{\"sensor\":\"%s\",\"ts\":%d,\"temperature\":%.2f,\"humidity\":%.2f}",
                sensor, ts, temperature, humidity);
    }

    /** The role of sensor {@code s-i} of {@code n}: with 4 or more, the third last pauses, the second last is quiet, the
     * last freezes; all others (and all of fewer than 4) follow the wave. */
    public static Role role(int i, int n) {
        if (n < 4 || i < n - 2) {
            return Role.WAVE;
        }
        return i == n - 2 ? Role.PAUSES : i == n - 1 ? Role.QUIET : Role.FREEZES;
    }

    @Override
    public void run() {
        if (sparkplug) {
            PlantEdgeNodeRunner runner = new PlantEdgeNodeRunner(host, port);
            Thread thread = new Thread(runner, "simulator-sparkplug");
            thread.setDaemon(true);
            edgeNode = runner;
            thread.start();
        }
        Mqtt5BlockingClient client = Mqtt5Client.builder()
                .identifier("windrose-simulator")
                .serverHost(host)
                .serverPort(port)
                .automaticReconnectWithDefaultConfig()
                .buildBlocking();
        client.connect();
        // the loop back: each sensor has a fan, switched by the job's commands on devices/<sensor>/fan/set
        client.toAsync().publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED, command -> {
            String[] levels = command.getTopic().toString().split("/");
            fans.put(levels[1], new String(command.getPayloadAsBytes(), StandardCharsets.UTF_8).trim().equalsIgnoreCase("ON"));
        });
        client.subscribeWith().topicFilter("devices/+/fan/set").qos(MqttQos.AT_LEAST_ONCE).send();
        long periodNanos = (long) (1_000_000_000L / readingsPerSecond);
        long next = System.nanoTime();
        try {
            while (running) {
                long round = published / sensors;
                boolean first = published % sensors == 0;
                Reading reading = next(System.currentTimeMillis());
                if (!reading.paused()) {
                    client.publishWith()
                            .topic(reading.topic())
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(reading.json().getBytes(StandardCharsets.UTF_8))
                            .send();
                }
                if (devices != null && first) {
                    publishDevice(client, (int) (round % 4), reading.ts(), reading.temperature(), reading.humidity());
                }
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.disconnect();
        }
    }

    /**
     * The next reading in turn ({@code s-1}, {@code s-2}, …, {@code s-n}, {@code s-1}, …) at wall-clock time
     * {@code now} (epoch ms, also its {@code ts}); advances the simulation. {@link #run} calls it; a test can call it
     * with a clock of its own instead (not both, and from one thread).
     */
    public Reading next(long now) {
        int i = (int) (published % sensors) + 1;
        published++;
        String sensor = "s-" + i;
        String site = "site-" + (char) ('a' + (i - 1) % 3);
        Role role = role(i, sensors);
        long minute = now / 60_000 % CYCLE_MINUTES;
        double wave = Math.sin(now / 60_000.0 * 2 * Math.PI + i);
        // a fan that is on cools its sensor by up to 15 °C, half a degree a reading; off, it warms back up
        double cooling = cooling(sensor, fans.getOrDefault(sensor, false));
        double noise = random.nextGaussian();
        double temperature = 22 + 10 * wave - cooling + noise;
        double humidity = 45 + 5 * Math.cos(now / 90_000.0) + random.nextGaussian();
        if (role == Role.QUIET) {
            double day = Math.sin(now / 86_400_000.0 * 2 * Math.PI);
            double step = minute == 3 ? (now / (CYCLE_MINUTES * 60_000L) % 2 == 0 ? STEP : -STEP) : 0;
            temperature = 20 + 2 * day + 0.2 * noise + step;
        }
        Reading previous = last.get(sensor);
        if (role == Role.FREEZES && (minute == 1 || minute == 2) && previous != null) {
            temperature = previous.temperature();
            humidity = previous.humidity();
        }
        Reading reading = new Reading(sensor, site, now, temperature, humidity, role == Role.PAUSES && minute == 4);
        last.put(sensor, reading);
        return reading;
    }

    private void publishDevice(Mqtt5BlockingClient client, int kind, long now, double temperature, double humidity) {
        String topic;
        byte[] payload;
        switch (kind) {
            case 0 -> {
                topic = "zigbee2mqtt/living_room";
                payload = DevicePayloads.zigbee(now, temperature, humidity, humidity > 45).getBytes(StandardCharsets.UTF_8);
            }
            case 1 -> {
                topic = "tele/plug-1/SENSOR";
                payload = DevicePayloads.tasmota(now, 80 + temperature, 230).getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                topic = "shellies/shellyht-1/sensor/temperature";
                payload = DevicePayloads.shelly(temperature).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                topic = "plant/hall-1/line-4/gateway";
                payload = devices.gateway("press-7", now, java.util.Map.of("pressure", 4 + humidity / 100));
            }
        }
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    private double cooling(String sensor, boolean fanOn) {
        double step = fanOn ? 0.5 : -0.5;
        return coolings.compute(sensor, (key, now) -> Math.max(0, Math.min(15, (now == null ? 0 : now) + step)));
    }

    @Override
    public void close() {
        running = false;
        PlantEdgeNodeRunner runner = edgeNode;
        if (runner != null) {
            runner.close();
        }
    }
}
