package io.windrose.decode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of an untrusted payload held in memory: a string, bytes, array or map may not claim more
 * bytes or items than the payload has left. Avro's own decoder allocates what the length prefix claims before
 * reading (up to 2 GB for a few random bytes).
 */
final class BoundedAvroDecoder extends Decoder {
    private final BinaryDecoder in;

    BoundedAvroDecoder(BinaryDecoder in) {
        this.in = in;
    }

    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    private int left() throws IOException {
        return in.inputStream().available();
    }

    private int length(long claimed, String what) throws IOException {
        if (claimed < 0 || claimed > left()) {
            throw new EOFException(what + " of " + claimed + " bytes, but only " + left() + " left");
        }
        return (int) claimed;
    }

    private long items(long claimed) throws IOException {
        if (claimed < 0 || claimed > Math.max(left(), 1)) {
            throw new EOFException("block of " + claimed + " items, but only " + left() + " bytes left");
        }
        return claimed;
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        byte[] bytes = new byte[length(in.readLong(), "string")];
        in.readFixed(bytes, 0, bytes.length);
        return new Utf8(bytes);
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length(in.readLong(), "string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        byte[] bytes = new byte[length(in.readLong(), "bytes")];
        in.readFixed(bytes, 0, bytes.length);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length(in.readLong(), "bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(blockCount());
    }

    @Override
    public long arrayNext() throws IOException {
        return items(blockCount());
    }

    @Override
    public long skipArray() throws IOException {
        return items(in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return items(blockCount());
    }

    @Override
    public long mapNext() throws IOException {
        return items(blockCount());
    }

    @Override
    public long skipMap() throws IOException {
        return items(in.skipMap());
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** A block's item count; a negative count is followed by the block's size in bytes (which we do not need). */
    private long blockCount() throws IOException {
        long count = in.readLong();
        if (count < 0) {
            in.readLong();
            count = -count;
        }
        return count;
    }
}
