package io.windrose.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback port helpers. */
public final class Ports {
    private Ports() {}

    /** A port that is free on 127.0.0.1 right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port. */
    public static boolean isOpen(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails when the port is taken, naming who was expected to own it. */
    public static void requireFree(int port, String what) {
        if (isOpen(port)) {
            throw new IllegalStateException("port " + port + " (" + what + ") is already in use on 127.0.0.1; "
                    + "stop what holds it (is a local stack still up? run local-cluster/down) or choose another port");
        }
    }

    public static void awaitOpen(int port, Duration timeout, ManagedProcess process) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isOpen(port)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited; log " + process.log() + ":\n" + process.tail());
            }
            ManagedProcess.sleep(50);
        }
        throw new IllegalStateException(process.name() + " did not open port " + port + " within " + timeout
                + "; log " + process.log() + ":\n" + process.tail());
    }
}
