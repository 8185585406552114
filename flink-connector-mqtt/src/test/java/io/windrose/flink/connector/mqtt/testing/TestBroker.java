package io.windrose.flink.connector.mqtt.testing;

import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The real Mosquitto the connector's integration tests share: started on a free loopback port on first use, stopped
 * when the test JVM exits (as Windrose's own tests share theirs). Tests keep apart by unique client ids and topics.
 */
public final class TestBroker {
    private static MosquittoServer mosquitto;

    private TestBroker() {}

    public static synchronized MosquittoServer mosquitto() {
        if (mosquitto == null) {
            try {
                mosquitto = new MosquittoServer(Ports.free(), Files.createTempDirectory("connector-mosquitto")
                        .resolve("mosquitto")).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            MosquittoServer started = mosquitto;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-broker-shutdown"));
        }
        return mosquitto;
    }
}
