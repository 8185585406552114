package io.windrose.testing;

import io.windrose.localcluster.MosquittoServer;
import io.windrose.localcluster.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto with a mutual-TLS listener (certificates made by openssl for a test CA) that also needs a user name
 * and password ({@code windrose} / {@code s3cret pass}, also in {@link #passwordFile()}); its plain listener
 * ({@link #plainPort()}) lets test devices publish without TLS.
 */
public final class TlsBroker implements AutoCloseable {
    private final Path pki;
    private final MosquittoServer mosquitto;
    private final int tlsPort;

    private TlsBroker(Path pki, MosquittoServer mosquitto, int tlsPort) {
        this.pki = pki;
        this.mosquitto = mosquitto;
        this.tlsPort = tlsPort;
    }

    public static TlsBroker start() throws IOException, InterruptedException {
        Path pki = RealServices.newDirectory("pki");
        run(pki, """
                set -e
                openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=windrose-test-ca
                for name in server client; do
                  openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name
                  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $name.ext
                  openssl x509 -req -in $name.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out $name.crt \\
                    -extfile $name.ext
                done
                mosquitto_passwd -b -c passwd windrose 's3cret pass'
                printf 's3cret pass\\n' > password.txt
                """);
        int tlsPort = Ports.free();
        MosquittoServer mosquitto = new MosquittoServer(Ports.free(), RealServices.newDirectory("tls-broker"), List.of(
                "per_listener_settings true",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + pki.resolve("ca.crt"),
                "certfile " + pki.resolve("server.crt"),
                "keyfile " + pki.resolve("server.key"),
                "require_certificate true",
                "allow_anonymous false",
                "password_file " + pki.resolve("passwd")));
        mosquitto.start();
        Ports.awaitOpen(tlsPort, Duration.ofSeconds(10), mosquitto.process());
        return new TlsBroker(pki, mosquitto, tlsPort);
    }

    public MosquittoServer mosquitto() {
        return mosquitto;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public int plainPort() {
        return mosquitto.port();
    }

    public Path file(String name) {
        return pki.resolve(name);
    }

    public Path passwordFile() {
        return pki.resolve("password.txt");
    }

    @Override
    public void close() {
        mosquitto.close();
    }

    private static void run(Path dir, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pki.log").toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("making test certificates failed:\n" + Files.readString(dir.resolve("pki.log")));
        }
    }
}
