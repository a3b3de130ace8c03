package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.fuzz.ByteMutations;
import dev.streamtrain.contracts.wire.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dataset readers against damaged files: an IDX file (raw, and gzipped) and a CIFAR-10 batch
 * file with bytes flipped, inserted, deleted, cut off, a dimension of the header replaced by a
 * random one, or random bytes. Whatever the bytes, a reader returns data or throws an
 * {@link IOException} naming the file, never anything else, and never allocates much more than
 * the file holds (a header's claim is not believed): seeded, each failure reported with its bytes.
 */
class DatasetReadersFuzzTest {

    private static final long SEED = 0xDA7A_F022L;
    /** A try may allocate this much at most: the files are a few KB, so this is far above what reading them needs. */
    private static final long ALLOCATION_LIMIT = 16L << 20;

    @TempDir
    Path dir;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void anIdxFileReadsOrIsRefusedWithAnIoExceptionAndLittleMemory() {
        byte[] images = SyntheticIdxDataset.idxBytes(new int[] {6, 5, 5}, new byte[6 * 25]);
        byte[] labels = SyntheticIdxDataset.idxBytes(new int[] {6}, new byte[] {0, 1, 2, 3, 4, 5});
        SplittableRandom random = new SplittableRandom(SEED);
        int rejected = 0;
        int tries = 100_000;
        for (int i = 0; i < tries; i++) {
            byte[] bytes = damaged(random.nextBoolean() ? images : labels, random);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                IdxFile.read("fuzz-idx", new ByteArrayInputStream(bytes), bytes.length);
            } catch (IOException e) {
                rejected++;
                assertThat(e.getMessage()).as("names the file").startsWith("fuzz-idx");
            } catch (Throwable e) {
                throw failure("IdxFile.read", i, bytes, e);
            }
            requireLittleAllocated(THREADS.getCurrentThreadAllocatedBytes() - before, "IdxFile.read", i, bytes);
        }
        assertThat(rejected).as("most inputs are bad ones").isGreaterThan(tries / 2);
    }

    @Test
    void aGzippedIdxFileReadsOrIsRefusedWithAnIoExceptionAndLittleMemory() throws IOException {
        byte[] images = SyntheticIdxDataset.idxBytes(new int[] {6, 5, 5}, new byte[6 * 25]);
        SplittableRandom random = new SplittableRandom(SEED + 1);
        Path file = dir.resolve("fuzz-idx.gz");
        int tries = 10_000;
        for (int i = 0; i < tries; i++) {
            // the IDX damaged then gzipped (the header claims, the data is short), or the gzip stream damaged
            byte[] bytes = random.nextBoolean() ? gzip(damaged(images, random))
                    : ByteMutations.mutate(gzip(images), random);
            Files.write(file, bytes);
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                IdxFile.read(file);
            } catch (IOException e) {
                assertThat(e.getMessage()).as("names the file").startsWith(file.toString());
            } catch (Throwable e) {
                throw failure("IdxFile.read of a .gz", i, bytes, e);
            }
            requireLittleAllocated(THREADS.getCurrentThreadAllocatedBytes() - before, "IdxFile.read of a .gz", i,
                    bytes);
        }
    }

    @Test
    void aCifarBatchFileLoadsOrIsRefusedWithAnIoException() throws IOException {
        Map<String, byte[]> files = SyntheticCifar10.files(5, 3, 7);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(dir.resolve(f.getKey()), f.getValue());
        }
        byte[] test = files.get(Cifar10BinaryFormat.TEST_FILE);
        Path file = dir.resolve(Cifar10BinaryFormat.TEST_FILE);
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int rejected = 0;
        int tries = 10_000;
        for (int i = 0; i < tries; i++) {
            byte[] bytes = random.nextInt(8) == 0 ? ByteMutations.randomBytes(random, 3 * Cifar10BinaryFormat.RECORD)
                    : ByteMutations.mutate(test, random);
            Files.write(file, bytes);
            try {
                Cifar10BinaryFormat.INSTANCE.load(new Cifar10(), dir, Split.TEST);
            } catch (IOException e) {
                rejected++;
                assertThat(e.getMessage()).as("names the file").contains(Cifar10BinaryFormat.TEST_FILE);
            } catch (Throwable e) {
                throw failure("Cifar10BinaryFormat.load", i, bytes, e);
            }
        }
        assertThat(rejected).as("most inputs are bad ones").isGreaterThan(tries / 2);
    }

    /** {@code valid} damaged: mutated, random, or one dimension of its header set to a random int. */
    private static byte[] damaged(byte[] valid, SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> ByteMutations.randomBytes(random, valid.length);
            case 1, 2 -> {
                byte[] bytes = valid.clone();
                int rank = bytes[3] & 0xFF;
                ByteBuffer.wrap(bytes).putInt(4 + 4 * random.nextInt(rank), random.nextInt());
                yield bytes;
            }
            default -> ByteMutations.mutate(valid, random);
        };
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void requireLittleAllocated(long allocated, String reader, int attempt, byte[] bytes) {
        if (allocated > ALLOCATION_LIMIT) {
            throw new AssertionError(reader + " allocated " + allocated + " bytes on try " + attempt + " (seed " + SEED
                    + "), bytes " + HexFormat.of().formatHex(bytes));
        }
    }

    private static AssertionError failure(String reader, int attempt, byte[] bytes, Throwable e) {
        return new AssertionError(reader + " threw " + e + " on try " + attempt + " (seed " + SEED + "), bytes "
                + HexFormat.of().formatHex(bytes), e);
    }
}
