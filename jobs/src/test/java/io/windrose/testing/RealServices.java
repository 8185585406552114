package io.windrose.testing;

import io.windrose.localcluster.AlertReceiver;
import io.windrose.localcluster.AlertmanagerServer;
import io.windrose.localcluster.InfluxServer;
import io.windrose.localcluster.KafkaServer;
import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The real servers integration tests talk to: Mosquitto, Kafka (KRaft), InfluxDB (influxd 1.x behind the v2 write
 * gateway) and Alertmanager (with its webhook receiver), each started on free loopback ports the first time a test
 * asks for it, shared by all tests of the JVM and stopped when the JVM's tests are done (or at JVM exit).
 */
public final class RealServices {
    private static final RealServices INSTANCE = new RealServices();

    private final Path root;
    private MosquittoServer mosquitto;
    private KafkaServer kafka;
    private InfluxServer influx;
    private AlertReceiver alertReceiver;
    private AlertmanagerServer alertmanager;

    private RealServices() {
        try {
            root = Files.createTempDirectory("windrose-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAll, "real-services-shutdown"));
    }

    public static synchronized MosquittoServer mosquitto() {
        if (INSTANCE.mosquitto == null) {
            INSTANCE.mosquitto = start(() -> new MosquittoServer(Ports.free(), INSTANCE.root.resolve("mosquitto")).start());
        }
        return INSTANCE.mosquitto;
    }

    public static synchronized KafkaServer kafka() {
        if (INSTANCE.kafka == null) {
            INSTANCE.kafka = start(() -> new KafkaServer(Ports.free(), Ports.free(), INSTANCE.root.resolve("kafka"))
                    .keepingRecordsForever().start());
        }
        return INSTANCE.kafka;
    }

    public static synchronized InfluxServer influx() {
        if (INSTANCE.influx == null) {
            INSTANCE.influx = start(() -> new InfluxServer(Ports.free(), Ports.free(), Ports.free(),
                    INSTANCE.root.resolve("influxdb")).start());
        }
        return INSTANCE.influx;
    }

    /**
     * Alertmanager as the local stack runs it ({@link AlertmanagerServer#config}: every alert to the webhook receiver
     * {@link #alertReceiver()}, a notification within seconds); {@link AlertmanagerServer#alerts()} reads
     * {@code /api/v2/alerts}. Shared by the tests of the JVM: tell your alerts apart by their labels.
     */
    public static synchronized AlertmanagerServer alertmanager() {
        if (INSTANCE.alertmanager == null) {
            Path dir = INSTANCE.root.resolve("alertmanager");
            INSTANCE.alertReceiver = start(() -> AlertReceiver.start(0, dir.resolve("notifications.log")));
            INSTANCE.alertmanager = start(() -> new AlertmanagerServer(Ports.free(), INSTANCE.alertReceiver.url(), dir)
                    .start());
        }
        return INSTANCE.alertmanager;
    }

    /**
     * The webhook receiver of {@link #alertmanager()} (started with it): every alert of every notification it got
     * ({@link AlertReceiver#alerts()}) and its log file, one line per alert ({@link AlertReceiver#lines()}).
     */
    public static synchronized AlertReceiver alertReceiver() {
        alertmanager();
        return INSTANCE.alertReceiver;
    }

    /** A fresh directory under the services' temporary root. */
    public static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(INSTANCE.root, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void stopAll() {
        for (AutoCloseable service : new AutoCloseable[] {alertmanager, alertReceiver, influx, kafka, mosquitto}) {
            if (service != null) {
                try {
                    service.close();
                } catch (Exception e) {
                    System.err.println("stopping " + service + " failed: " + e);
                }
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }

    private interface Starter<T> {
        T start() throws IOException;
    }

    private static <T> T start(Starter<T> starter) {
        try {
            return starter.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
