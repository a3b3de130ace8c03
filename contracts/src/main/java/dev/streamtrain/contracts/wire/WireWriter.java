package dev.streamtrain.contracts.wire;

import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes the big-endian primitives of our wire formats into a buffer sized up front. */
final class WireWriter {

    private final String format;
    private final ByteBuffer buffer;

    WireWriter(String format, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new SerializationException(format + ": record of " + size + " bytes is too large to encode");
        }
        this.format = format;
        this.buffer = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    WireWriter bytes(byte[] bytes) {
        buffer.put(bytes);
        return this;
    }

    WireWriter u8(int value) {
        buffer.put((byte) value);
        return this;
    }

    WireWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new SerializationException(format + ": " + value + " does not fit an unsigned 16-bit field");
        }
        buffer.putShort((short) value);
        return this;
    }

    WireWriter i32(int value) {
        buffer.putInt(value);
        return this;
    }

    WireWriter i64(long value) {
        buffer.putLong(value);
        return this;
    }

    /** IEEE 754 binary64, big-endian like the integers. */
    WireWriter f64(double value) {
        buffer.putDouble(value);
        return this;
    }

    WireWriter string16(String field, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new SerializationException(format + ": field '" + field + "' is " + bytes.length
                    + " bytes of UTF-8, at most 65535 fit");
        }
        return u16(bytes.length).bytes(bytes);
    }

    WireWriter string32(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return i32(bytes.length).bytes(bytes);
    }

    WireWriter floatsLittleEndian(float[] values) {
        ByteBuffer slice = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        slice.asFloatBuffer().put(values);
        buffer.position(buffer.position() + values.length * 4);
        return this;
    }

    /** Bytes written so far, from {@code from}, e.g. for a checksum. */
    ByteBuffer written(int from) {
        return buffer.duplicate().position(from).limit(buffer.position()).slice();
    }

    int position() {
        return buffer.position();
    }

    byte[] toByteArray() {
        if (buffer.hasRemaining()) {
            throw new IllegalStateException(format + ": size computed as " + buffer.capacity() + " but wrote "
                    + buffer.position());
        }
        return buffer.array();
    }
}
