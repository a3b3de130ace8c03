package dev.streamtrain.contracts.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Byte helpers for wire tests: hex, patching big-endian fields, splicing. */
final class WireBytes {

    private WireBytes() {
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static byte[] withU8(byte[] record, int offset, int value) {
        byte[] copy = record.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    static byte[] withU16(byte[] record, int offset, int value) {
        byte[] copy = record.clone();
        ByteBuffer.wrap(copy).putShort(offset, (short) value);
        return copy;
    }

    static byte[] withI32(byte[] record, int offset, int value) {
        byte[] copy = record.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }

    static byte[] withI64(byte[] record, int offset, long value) {
        byte[] copy = record.clone();
        ByteBuffer.wrap(copy).putLong(offset, value);
        return copy;
    }

    /** {@code record} with bytes [from, to) replaced by {@code replacement}. */
    static byte[] splice(byte[] record, int from, int to, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(record, 0, from);
        out.writeBytes(replacement);
        out.write(record, to, record.length - to);
        return out.toByteArray();
    }

    static byte[] append(byte[] record, byte... extra) {
        return splice(record, record.length, record.length, extra);
    }
}
