package io.windrose.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal MQTT 3.1.1 client on a plain socket: the leanest publisher and subscriber we can write, so that the broker,
 * not the client, is what limits the baseline. Only CONNECT, PUBLISH (QoS 0/1), PUBACK, SUBSCRIBE.
 */
final class RawMqtt {
    private RawMqtt() {}

    static Socket connect(int port, String clientId, boolean cleanSession) throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setReceiveBufferSize(1 << 20);
        socket.setSendBufferSize(1 << 20);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[10 + 2 + id.length];
        byte[] header = {0, 4, 'M', 'Q', 'T', 'T', 4, (byte) (cleanSession ? 0x02 : 0), 0, 0}; // keep-alive 0: off
        System.arraycopy(header, 0, body, 0, 10);
        body[10] = (byte) (id.length >> 8);
        body[11] = (byte) id.length;
        System.arraycopy(id, 0, body, 12, id.length);
        OutputStream out = socket.getOutputStream();
        out.write(frame(0x10, body));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        int type = in.readUnsignedByte();
        int length = readLength(in);
        byte[] ack = new byte[length];
        in.readFully(ack);
        if (type != 0x20 || ack[1] != 0) {
            throw new IOException("CONNACK refused: type " + type + " code " + ack[1]);
        }
        return socket;
    }

    /** A complete PUBLISH frame; for QoS 1 the packet id sits at {@link #packetIdOffset}. */
    static byte[] publishFrame(String topic, byte[] payload, int qos) {
        byte[] t = topic.getBytes(StandardCharsets.UTF_8);
        int idLength = qos > 0 ? 2 : 0;
        byte[] body = new byte[2 + t.length + idLength + payload.length];
        body[0] = (byte) (t.length >> 8);
        body[1] = (byte) t.length;
        System.arraycopy(t, 0, body, 2, t.length);
        System.arraycopy(payload, 0, body, 2 + t.length + idLength, payload.length);
        return frame(0x30 | (qos << 1), body);
    }

    static int packetIdOffset(byte[] frame) {
        int i = 1;
        while ((frame[i] & 0x80) != 0) {
            i++;
        }
        int bodyStart = i + 1;
        int topicLength = ((frame[bodyStart] & 0xff) << 8) | (frame[bodyStart + 1] & 0xff);
        return bodyStart + 2 + topicLength;
    }

    static byte[] frame(int type, byte[] body) {
        byte[] length = encodeLength(body.length);
        byte[] frame = new byte[1 + length.length + body.length];
        frame[0] = (byte) type;
        System.arraycopy(length, 0, frame, 1, length.length);
        System.arraycopy(body, 0, frame, 1 + length.length, body.length);
        return frame;
    }

    private static byte[] encodeLength(int length) {
        byte[] out = new byte[4];
        int n = 0;
        do {
            int digit = length % 128;
            length /= 128;
            out[n++] = (byte) (length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        return java.util.Arrays.copyOf(out, n);
    }

    static int readLength(InputStream in) throws IOException {
        int multiplier = 1;
        int value = 0;
        int digit;
        do {
            digit = in.read();
            if (digit < 0) {
                throw new IOException("connection closed");
            }
            value += (digit & 127) * multiplier;
            multiplier *= 128;
        } while ((digit & 128) != 0);
        return value;
    }

    /** Publishes pre-built frames as fast as the socket takes them; QoS 1 keeps at most {@code window} un-acked. */
    static final class Publisher implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final int qos;
        private final Semaphore inFlight;
        private final Thread ackReader;
        private final AtomicLong acked = new AtomicLong();
        private int nextId = 1;

        Publisher(int port, String clientId, int qos, int window) throws IOException {
            this.socket = connect(port, clientId, true);
            this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            this.qos = qos;
            this.inFlight = new Semaphore(window);
            this.ackReader = new Thread(this::readAcks, "raw-publisher-acks");
            this.ackReader.setDaemon(true);
            if (qos > 0) {
                ackReader.start();
            }
        }

        /** Writes one frame (patched with a packet id at QoS 1). */
        void publish(byte[] frame, int packetIdOffset) throws IOException, InterruptedException {
            if (qos > 0) {
                if (!inFlight.tryAcquire()) {
                    out.flush();
                    inFlight.acquire();
                }
                frame[packetIdOffset] = (byte) (nextId >> 8);
                frame[packetIdOffset + 1] = (byte) nextId;
                nextId = nextId == 65535 ? 1 : nextId + 1;
            }
            out.write(frame);
        }

        void flush() throws IOException {
            out.flush();
        }

        /** Waits until every QoS 1 message was acknowledged by the broker. */
        void awaitAcks(long published, long timeoutMs) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMs;
            while (qos > 0 && acked.get() < published && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
        }

        private void readAcks() {
            try {
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        return;
                    }
                    int length = readLength(in);
                    in.skipNBytes(length);
                    if ((type & 0xf0) == 0x40) {
                        acked.incrementAndGet();
                        inFlight.release();
                    }
                }
            } catch (IOException e) {
                // socket closed
            }
        }

        @Override
        public void close() throws IOException {
            out.write(new byte[] {(byte) 0xe0, 0}); // DISCONNECT
            out.flush();
            socket.close();
        }
    }

    /** Subscribes and only counts (acknowledging QoS 1), recording when the first and the last message arrived. */
    static final class CountingSubscriber implements AutoCloseable {
        private final Socket socket;
        private final Thread reader;
        final AtomicLong received = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;

        CountingSubscriber(int port, String clientId, String filter, int qos) throws IOException {
            this.socket = connect(port, clientId, true);
            OutputStream out = socket.getOutputStream();
            byte[] f = filter.getBytes(StandardCharsets.UTF_8);
            byte[] body = new byte[2 + 2 + f.length + 1];
            body[1] = 1; // packet id 1
            body[2] = (byte) (f.length >> 8);
            body[3] = (byte) f.length;
            System.arraycopy(f, 0, body, 4, f.length);
            body[body.length - 1] = (byte) qos;
            out.write(frame(0x82, body));
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int type = in.readUnsignedByte();
            in.skipNBytes(readLength(in));
            if (type != 0x90) {
                throw new IOException("expected SUBACK, got " + type);
            }
            reader = new Thread(this::read, "raw-subscriber");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try {
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 14);
                byte[] buffer = new byte[1 << 16];
                byte[] puback = {0x40, 2, 0, 0};
                while (true) {
                    int type = in.read();
                    if (type < 0) {
                        return;
                    }
                    int length = readLength(in);
                    byte[] body = length <= buffer.length ? buffer : new byte[length];
                    in.readNBytes(body, 0, length);
                    if ((type & 0xf0) == 0x30) {
                        long now = System.nanoTime();
                        if (received.getAndIncrement() == 0) {
                            firstNanos = now;
                        }
                        lastNanos = now;
                        if (((type >> 1) & 3) > 0) {
                            int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
                            puback[2] = body[2 + topicLength];
                            puback[3] = body[3 + topicLength];
                            out.write(puback);
                        }
                        if (in.available() == 0) {
                            out.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // socket closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
