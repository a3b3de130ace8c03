package dev.streamtrain.contracts.dataset;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX file (the MNIST/Fashion-MNIST format), gzipped or raw: two zero bytes, a type byte
 * (0x08 = unsigned byte, the only type these datasets use), a dimension count, the dimensions as
 * big-endian int32, then the data. Every malformed header is rejected with a message naming the
 * file and what was wrong. Nothing is allocated on a header's word alone: a raw file's size must
 * match its dimensions before its data is read, and a gzipped file's data buffer grows only as
 * data arrives, so a tiny file claiming huge dimensions fails as truncated.
 */
public final class IdxFile {

    static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMS = 4;
    // A gzipped file's data buffer starts here and doubles as data arrives.
    private static final int INITIAL_BUFFER = 1 << 20;

    private IdxFile() {
    }

    public static IdxArray read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return readMaybeGzipped(file.toString(), raw, Files.size(file));
        }
    }

    /**
     * Reads the IDX content {@code bytes}, gzipped or raw, checked as a file's is; {@code name} names it
     * in messages (an upload, say).
     */
    public static IdxArray read(String name, byte[] bytes) throws IOException {
        try (InputStream raw = new BufferedInputStream(new ByteArrayInputStream(bytes), 1 << 16)) {
            return readMaybeGzipped(name, raw, bytes.length);
        }
    }

    /** Reads {@code raw} (supporting mark/reset), gzipped or {@code size} raw bytes. */
    private static IdxArray readMaybeGzipped(String name, InputStream raw, long size) throws IOException {
        try {
            if (isGzip(raw)) {
                return read(name, new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)), -1);
            }
            return read(name, raw, size);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + ": not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            // The gzip stream itself ended early (in its header, deflate data or trailer).
            throw new IOException(name + ": truncated: gzip stream ended early", e);
        }
    }

    /** Reads from {@code in}, holding {@code available} bytes if known (a raw file), else -1. */
    static IdxArray read(String name, InputStream in, long available) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[4];
        readFully(data, header, name, "the 4-byte magic number");
        if (header[0] != 0 || header[1] != 0) {
            throw new IOException(name + ": not an IDX file: magic number must start with two zero bytes, got 0x"
                    + String.format("%02X%02X", header[0], header[1]));
        }
        int type = header[2] & 0xFF;
        if (type != TYPE_UNSIGNED_BYTE) {
            throw new IOException(name + ": unsupported IDX data type 0x" + String.format("%02X", type)
                    + ", only 0x08 (unsigned byte) is supported");
        }
        int rank = header[3] & 0xFF;
        if (rank < 1 || rank > MAX_DIMS) {
            throw new IOException(name + ": IDX dimension count must be in [1, " + MAX_DIMS + "], got " + rank);
        }
        int[] dims = new int[rank];
        long size = 1;
        byte[] dimBytes = new byte[4];
        for (int i = 0; i < rank; i++) {
            readFully(data, dimBytes, name, "dimension " + i);
            dims[i] = ((dimBytes[0] & 0xFF) << 24) | ((dimBytes[1] & 0xFF) << 16) | ((dimBytes[2] & 0xFF) << 8)
                    | (dimBytes[3] & 0xFF);
            if (dims[i] < 1) {
                throw new IOException(name + ": IDX dimension " + i + " must be >= 1, got " + dims[i]);
            }
            size *= dims[i];
            if (size > Integer.MAX_VALUE - 16) {
                throw new IOException(name + ": IDX dimensions " + Arrays.toString(dims) + " are too large");
            }
        }
        String what = size + " data bytes for dimensions " + Arrays.toString(dims);
        long expected = 4 + 4L * rank + size;
        if (available >= 0 && available < expected) {
            throw new IOException(name + ": truncated: file ended while reading " + what + " (got "
                    + (available - 4 - 4L * rank) + ")");
        }
        if (available > expected) {
            throw trailingBytes(name, size, dims);
        }
        byte[] values = readGrowing(data, (int) size, available >= 0 ? (int) size : INITIAL_BUFFER, name, what);
        if (data.read() != -1) {
            throw trailingBytes(name, size, dims);
        }
        return new IdxArray(dims, values);
    }

    /** Reads exactly {@code size} bytes into a buffer that starts at {@code initial} bytes and doubles as data comes. */
    private static byte[] readGrowing(InputStream in, int size, int initial, String name, String what)
            throws IOException {
        byte[] values = new byte[Math.min(size, initial)];
        int filled = 0;
        while (filled < size) {
            if (filled == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(size, 2L * values.length));
            }
            int n;
            try {
                n = in.read(values, filled, values.length - filled);
            } catch (EOFException e) {
                n = -1; // the gzip stream itself ended early
            }
            if (n < 0) {
                throw new IOException(name + ": truncated: file ended while reading " + what + " (got " + filled
                        + ")");
            }
            filled += n;
        }
        return values;
    }

    private static IOException trailingBytes(String name, long size, int[] dims) {
        return new IOException(name + ": trailing bytes after the " + size + " data bytes that dimensions "
                + Arrays.toString(dims) + " call for");
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1F && b1 == 0x8B;
    }

    private static void readFully(DataInputStream in, byte[] into, String name, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(name + ": truncated: file ended while reading " + what, e);
        }
    }
}
