package io.windrose.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /**
     * Whether a server can listen on 127.0.0.1:port now: nothing listens there, nor on every interface (what
     * {@link #isOpen} cannot tell from a service that only listens on another address).
     */
    public static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The TCP ports that process {@code pid} listens on, each with its addresses: {@code 127.0.0.1} (also when written
     * as an IPv4-mapped IPv6 address), {@code ::1}, {@code *} for every interface (0.0.0.0 or ::), else the address as
     * /proc writes it. Linux only (/proc/PID/fd, /proc/net/tcp and tcp6).
     */
    public static Map<Integer, Set<String>> listening(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        Map<Integer, Set<String>> ports = new TreeMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    int colon = f[1].indexOf(':');
                    ports.computeIfAbsent(Integer.parseInt(f[1].substring(colon + 1), 16), p -> new TreeSet<>())
                            .add(address(f[1].substring(0, colon)));
                }
            }
        }
        return ports;
    }

    private static String address(String hex) {
        if (hex.matches("0+")) {
            return "*";
        }
        if (hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F")) {
            return "127.0.0.1";
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "::1";
        }
        return hex;
    }

    /** Fails when the port is taken, naming who was expected to own it. */
    public static void requireFree(int port, String what) {
        if (!canBind(port)) {
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
