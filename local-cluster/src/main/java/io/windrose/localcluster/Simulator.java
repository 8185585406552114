package io.windrose.localcluster;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * Publishes canonical readings {@code {"sensor":"s-1","ts":…,"temperature":…,"humidity":…}} to
 * {@code sensors/<site>/<sensor>} at a fixed rate, with a slow temperature wave so threshold alerts fire now and then;
 * with {@link DevicePayloads}, also one device-shaped message per ten readings, in turn a Zigbee2MQTT sensor, a
 * Tasmota plug, a Shelly and an Avro gateway (the routes of local-cluster/examples/device-routes.yaml).
 */
public final class Simulator implements Runnable, AutoCloseable {
    private final String host;
    private final int port;
    private final int sensors;
    private final double readingsPerSecond;
    private final DevicePayloads devices;
    private volatile boolean running = true;
    private final java.util.Map<String, Boolean> fans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, Double> coolings = new java.util.HashMap<>();
    private long published;

    /** @param devices device-shaped payloads to mix in, or null for canonical readings only */
    public Simulator(String host, int port, int sensors, double readingsPerSecond, DevicePayloads devices) {
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

    @Override
    public void run() {
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
        Random random = new Random(42);
        long periodNanos = (long) (1_000_000_000L / readingsPerSecond);
        long next = System.nanoTime();
        try {
            while (running) {
                int i = (int) (published % sensors) + 1;
                String sensor = "s-" + i;
                String site = "site-" + (char) ('a' + (i - 1) % 3);
                long now = System.currentTimeMillis();
                // the last sensor pauses for one minute in five, so that a deadman rule has something to find
                boolean paused = i == sensors && sensors > 1 && now / 60_000 % 5 == 4;
                double wave = Math.sin(now / 60_000.0 * 2 * Math.PI + i);
                // a fan that is on cools its sensor by up to 15 °C, half a degree a reading; off, it warms back up
                double cooling = cooling(sensor, fans.getOrDefault(sensor, false));
                double temperature = 22 + 10 * wave - cooling + random.nextGaussian();
                double humidity = 45 + 5 * Math.cos(now / 90_000.0) + random.nextGaussian();
                if (!paused) {
                    client.publishWith()
                            .topic("sensors/" + site + "/" + sensor)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(canonicalJson(sensor, now, temperature, humidity).getBytes(StandardCharsets.UTF_8))
                            .send();
                }
                if (devices != null && published % 10 == 0) {
                    publishDevice(client, (int) (published / 10 % 4), now, temperature, humidity);
                }
                published++;
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
    }
}
