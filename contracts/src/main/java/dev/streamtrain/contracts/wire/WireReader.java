package dev.streamtrain.contracts.wire;


import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of the big-endian primitives our wire formats are made of. Every read names
 * the field, so a malformed record fails with "… field 'epoch': expected 4 bytes, 2 left".
 */
final class WireReader {

    private final String format;
    private final ByteBuffer buffer;

    WireReader(String format, byte[] data) {
        if (data == null) {
            throw new RecordFormatException(format + ": record value is null");
        }
        this.format = format;
        this.buffer = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    }

    void expectMagic(byte[] magic) {
        need("magic", magic.length);
        byte[] got = new byte[magic.length];
        buffer.get(got);
        if (!java.util.Arrays.equals(got, magic)) {
            throw fail("bad magic: expected " + hex(magic) + " (\"" + new String(magic, StandardCharsets.US_ASCII)
                    + "\"), got " + hex(got) + "; is this topic holding another kind of record?");
        }
    }

    void expectVersion(int supported) {
        expectVersion(supported, supported);
    }

    /** Reads the version, which must be in {@code [oldest, newest]}, and returns it. */
    int expectVersion(int oldest, int newest) {
        int version = u8("version");
        if (version < oldest || version > newest) {
            throw fail("unsupported version " + version + ", this reader understands version "
                    + (oldest == newest ? oldest : oldest + " to " + newest)
                    + "; upgrade streamtrain to read newer records");
        }
        return version;
    }

    int u8(String field) {
        need(field, 1);
        return buffer.get() & 0xFF;
    }

    int u16(String field) {
        need(field, 2);
        return buffer.getShort() & 0xFFFF;
    }

    int i32(String field) {
        need(field, 4);
        return buffer.getInt();
    }

    long i64(String field) {
        need(field, 8);
        return buffer.getLong();
    }

    /** IEEE 754 binary64, big-endian. */
    double f64(String field) {
        need(field, 8);
        return buffer.getDouble();
    }

    /** A non-negative int32, e.g. a count. */
    int count(String field) {
        int value = i32(field);
        if (value < 0) {
            throw fail("field '" + field + "' must be >= 0, got " + value);
        }
        return value;
    }

    String string16(String field) {
        int length = u16(field + ".length");
        return utf8(field, length);
    }

    String string32(String field) {
        int length = count(field + ".length");
        return utf8(field, length);
    }

    byte[] bytes(String field, long length) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw fail("field '" + field + "' has impossible length " + length);
        }
        need(field, (int) length);
        byte[] out = new byte[(int) length];
        buffer.get(out);
        return out;
    }

    /** {@code count} float32 values in little-endian order (numpy's '<f4'). */
    float[] floatsLittleEndian(String field, long count) {
        if (count < 0 || count > Integer.MAX_VALUE / 4) {
            throw fail("field '" + field + "' has impossible float count " + count);
        }
        need(field, (int) count * 4);
        float[] out = new float[(int) count];
        ByteBuffer slice = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        slice.asFloatBuffer().get(out);
        buffer.position(buffer.position() + (int) count * 4);
        return out;
    }

    /** The raw bytes of the last {@code length} bytes read, e.g. for a checksum. */
    byte[] lastBytes(int length) {
        byte[] out = new byte[length];
        buffer.get(buffer.position() - length, out);
        return out;
    }

    void expectEnd() {
        if (buffer.hasRemaining()) {
            throw fail(buffer.remaining() + " unexpected trailing bytes after the last field");
        }
    }

    int remaining() {
        return buffer.remaining();
    }

    RecordFormatException fail(String message) {
        return new RecordFormatException(format + ": " + message);
    }

    private String utf8(String field, int length) {
        need(field, length);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fail("field '" + field + "' is not valid UTF-8");
        }
    }

    private void need(String field, int bytes) {
        if (buffer.remaining() < bytes) {
            throw fail("truncated at field '" + field + "' (offset " + buffer.position() + "): expected "
                    + bytes + " bytes, got " + buffer.remaining());
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder("0x");
        for (byte b : bytes) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }
}
