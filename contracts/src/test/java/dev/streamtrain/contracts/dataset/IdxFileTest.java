package dev.streamtrain.contracts.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.streamtrain.contracts.dataset.SyntheticIdxDataset.idxBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxFileTest {

    private static final byte[] SIX = {0, 1, 2, 3, 4, (byte) 0xFF};

    @TempDir
    Path dir;

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    static Stream<Arguments> valid() {
        return Stream.of(Arguments.of(new int[] {6}, SIX), Arguments.of(new int[] {3, 2}, SIX),
                Arguments.of(new int[] {1, 2, 3}, SIX), Arguments.of(new int[] {1, 1, 2, 3}, SIX),
                Arguments.of(new int[] {1}, new byte[] {(byte) 0x80}));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void readsGzippedFiles(int[] dims, byte[] data) throws IOException {
        Path file = dir.resolve("x-idx.gz");
        SyntheticIdxDataset.writeIdx(file, dims, data);
        IdxArray array = IdxFile.read(file);
        assertThat(array.dims()).containsExactly(dims);
        assertThat(array.data()).containsExactly(data);
        assertThat(array.count()).isEqualTo(dims[0]);
        assertThat(array.itemShape()).containsExactly(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void readsBytesGzippedOrRawAsAFile(int[] dims, byte[] data) throws IOException {
        for (byte[] bytes : new byte[][] {idxBytes(dims, data), gzip(idxBytes(dims, data))}) {
            IdxArray array = IdxFile.read("upload", bytes);
            assertThat(array.dims()).containsExactly(dims);
            assertThat(array.data()).containsExactly(data);
        }
    }

    @Test
    void badBytesAreRefusedNamingThem() {
        byte[] whole = idxBytes(new int[] {3, 2}, SIX);
        assertThatThrownBy(() -> IdxFile.read("upload", Arrays.copyOf(whole, whole.length - 1)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("upload: truncated");
        assertThatThrownBy(() -> IdxFile.read("upload", "{\"samples\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("upload: not an IDX file");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void readsRawFiles(int[] dims, byte[] data) throws IOException {
        IdxArray array = IdxFile.read(write("x-idx", idxBytes(dims, data)));
        assertThat(array.dims()).containsExactly(dims);
        assertThat(array.data()).containsExactly(data);
    }

    @Test
    void readsTheSyntheticDataset() throws IOException {
        SyntheticIdxDataset.write(dir, new Mnist(), 7, 3, 1L);
        IdxArray images = IdxFile.read(dir.resolve("train-images-idx3-ubyte.gz"));
        IdxArray labels = IdxFile.read(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThat(images.dims()).containsExactly(7, 28, 28);
        assertThat(images.data()).hasSize(7 * 784);
        assertThat(labels.dims()).containsExactly(3);
        for (byte label : labels.data()) {
            assertThat(label & 0xFF).isLessThan(10);
        }
    }

    static Stream<Arguments> malformed() {
        byte[] valid = idxBytes(new int[] {3, 2}, SIX);
        return Stream.of(
                Arguments.of("nonzero first byte", patch(valid, 0, 1),
                        "not an IDX file: magic number must start with two zero bytes, got 0x0100"),
                Arguments.of("nonzero second byte", patch(valid, 1, 0xAB),
                        "not an IDX file: magic number must start with two zero bytes, got 0x00AB"),
                Arguments.of("type 0x09 (signed byte)", patch(valid, 2, 0x09),
                        "unsupported IDX data type 0x09, only 0x08 (unsigned byte) is supported"),
                Arguments.of("type 0x0D (float)", patch(valid, 2, 0x0D),
                        "unsupported IDX data type 0x0D, only 0x08 (unsigned byte) is supported"),
                Arguments.of("0 dimensions", new byte[] {0, 0, 8, 0},
                        "IDX dimension count must be in [1, 4], got 0"),
                Arguments.of("5 dimensions", idxBytes(new int[] {1, 1, 1, 2, 3}, SIX),
                        "IDX dimension count must be in [1, 4], got 5"),
                Arguments.of("zero dimension", idxBytes(new int[] {3, 0}, new byte[0]),
                        "IDX dimension 1 must be >= 1, got 0"),
                Arguments.of("negative dimension", idxBytes(new int[] {-1}, new byte[0]),
                        "IDX dimension 0 must be >= 1, got -1"),
                Arguments.of("too large", idxBytes(new int[] {65536, 65536}, new byte[0]),
                        "IDX dimensions [65536, 65536] are too large"),
                Arguments.of("empty file", new byte[0], "truncated: file ended while reading the 4-byte magic number"),
                Arguments.of("truncated magic", new byte[] {0, 0, 8},
                        "truncated: file ended while reading the 4-byte magic number"),
                Arguments.of("truncated header", Arrays.copyOf(valid, 10),
                        "truncated: file ended while reading dimension 1"),
                Arguments.of("truncated data", Arrays.copyOf(valid, valid.length - 1),
                        "truncated: file ended while reading 6 data bytes for dimensions [3, 2] (got 5)"),
                Arguments.of("trailing bytes", Arrays.copyOf(valid, valid.length + 2),
                        "trailing bytes after the 6 data bytes that dimensions [3, 2] call for"));
    }

    private static byte[] patch(byte[] bytes, int offset, int value) {
        byte[] copy = bytes.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedRawFilesNamingTheFile(String name, byte[] bytes, String message) throws IOException {
        Path file = write("bad-idx", bytes);
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": " + message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedGzippedFilesNamingTheFile(String name, byte[] bytes, String message) throws IOException {
        Path file = write("bad-idx.gz", gzip(bytes));
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": " + message);
    }

    @Test
    void everyTruncationOfARawFileNamesTheFile() throws IOException {
        byte[] valid = idxBytes(new int[] {2, 2, 3}, new byte[12]);
        for (int n = 0; n < valid.length; n++) {
            Path file = write("raw-" + n, Arrays.copyOf(valid, n));
            assertThatThrownBy(() -> IdxFile.read(file)).as("prefix of %d bytes", n).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ": truncated: file ended while reading ");
        }
    }

    @Test
    void truncatedCompressedDataNamesTheFile() throws IOException {
        byte[] gz = gzip(idxBytes(new int[] {100}, new byte[100]));
        Path file = write("short.gz", Arrays.copyOf(gz, 14));
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": truncated: file ended while reading ");
    }

    @Test
    void everyTruncationOfAGzippedFileNamesTheFile() throws IOException {
        byte[] gz = gzip(idxBytes(new int[] {3, 2}, SIX));
        for (int n = 0; n < gz.length; n++) {
            Path file = write("gz-" + n + ".gz", Arrays.copyOf(gz, n));
            assertThatThrownBy(() -> IdxFile.read(file)).as("prefix of %d bytes", n).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file + ": ");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-8, -5, -1})
    void corruptGzipTrailerIsRejected(int fromEnd) throws IOException {
        byte[] gz = gzip(idxBytes(new int[] {3, 2}, SIX));
        gz[gz.length + fromEnd] ^= 0x01; // CRC32 (first 4) or ISIZE (last 4) of the trailer
        Path file = write("corrupt.gz", gz);
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": not a valid gzip file (Corrupt GZIP trailer)");
    }

    @Test
    void corruptGzipHeaderIsRejected() throws IOException {
        byte[] gz = gzip(idxBytes(new int[] {3, 2}, SIX));
        gz[2] = 9; // compression method: only 8 (deflate) exists
        Path file = write("method.gz", gz);
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": not a valid gzip file (Unsupported compression method)");
    }

    @Test
    void corruptDeflateDataIsRejected() throws IOException {
        byte[] gz = gzip(idxBytes(new int[] {200}, new byte[200]));
        Arrays.fill(gz, 10, gz.length - 8, (byte) 0xFF);
        Path file = write("garbage.gz", gz);
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": not a valid gzip file (");
    }

    @Test
    void aTinyGzipClaimingHugeDimensionsFailsWithoutAllocatingThem() throws IOException {
        // 60000 x 28 x 1000 = 1.68 GB claimed by a file of a few dozen bytes
        Path file = write("huge.gz", gzip(idxBytes(new int[] {60000, 28, 1000}, new byte[100])));
        long allocated = allocatedBytesOf(() -> assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": truncated: file ended while reading 1680000000 data bytes for dimensions "
                        + "[60000, 28, 1000] (got 100)"));
        assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void aTinyRawFileClaimingHugeDimensionsFailsBeforeReadingThem() throws IOException {
        Path file = write("huge-idx", idxBytes(new int[] {60000, 28, 1000}, new byte[10]));
        long allocated = allocatedBytesOf(() -> assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessage(file + ": truncated: file ended while reading 1680000000 data bytes for dimensions "
                        + "[60000, 28, 1000] (got 10)"));
        assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void dimensionsBeyondAnArrayAreRefusedFromTheHeader() throws IOException {
        Path file = write("huger.gz", gzip(idxBytes(new int[] {60000, 28, 28000}, new byte[0])));
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": IDX dimensions [60000, 28, 28000] are too large");
    }

    /** Bytes this thread allocated while running {@code action}. */
    private static long allocatedBytesOf(Runnable action) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        action.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void aMissingFileIsAnIoException() {
        Path file = dir.resolve("absent-idx.gz");
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining(file.toString());
    }
}
