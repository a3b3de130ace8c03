package dev.streamtrain.contracts.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import dev.streamtrain.contracts.wire.Split;

/**
 * Writes a small, learnable dataset in the real IDX format under {@link IdxFormat}'s file names: each
 * class lights up its own band of rows, plus noise. A network learns it in one epoch, so pipeline
 * tests can check that the loss falls. Shared with other modules' tests.
 */
public final class SyntheticIdxDataset {

    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int CLASSES = 10;

    private SyntheticIdxDataset() {
    }

    /**
     * Writes train and test files (gzipped) of an IDX dataset into {@code directory}, with the
     * definition's number of classes (labels in [0, N)).
     */
    public static Path write(Path directory, DatasetDefinition dataset, int trainSize, int testSize, long seed)
            throws IOException {
        if (!(dataset.format() instanceof IdxFormat)) {
            throw new IllegalArgumentException(dataset.name() + " is in " + dataset.format().name()
                    + " files, not idx");
        }
        return write(directory, dataset.numClasses(), trainSize, testSize, seed);
    }

    /** Writes train and test files (gzipped) of a 10-class IDX dataset into {@code directory}. */
    public static Path write(Path directory, int trainSize, int testSize, long seed) throws IOException {
        return write(directory, CLASSES, trainSize, testSize, seed);
    }

    private static Path write(Path directory, int classes, int trainSize, int testSize, long seed)
            throws IOException {
        Files.createDirectories(directory);
        SplittableRandom random = new SplittableRandom(seed);
        writeSplit(directory, Split.TRAIN, trainSize, classes, random);
        writeSplit(directory, Split.TEST, testSize, classes, random);
        return directory;
    }

    private static void writeSplit(Path dir, Split split, int count, int classes, SplittableRandom random)
            throws IOException {
        ImageDataset data = generate("synthetic", split, count, classes, random);
        writeIdx(dir.resolve(IdxFormat.imagesFile(split) + ".gz"), new int[] {count, ROWS, COLS}, data.pixels());
        writeIdx(dir.resolve(IdxFormat.labelsFile(split) + ".gz"), new int[] {count}, data.labels());
    }

    /** The same learnable data, in memory, named {@code name}. */
    public static ImageDataset dataset(String name, Split split, int count, long seed) {
        return generate(name, split, count, CLASSES, new SplittableRandom(seed));
    }

    private static ImageDataset generate(String name, Split split, int count, int classes,
                                         SplittableRandom random) {
        byte[] images = new byte[count * ROWS * COLS];
        byte[] labels = new byte[count];
        int band = Math.max(1, ROWS / classes);
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(classes);
            labels[i] = (byte) label;
            for (int r = 0; r < ROWS; r++) {
                boolean lit = r / band == label;
                for (int c = 0; c < COLS; c++) {
                    int value = lit ? 160 + random.nextInt(96) : random.nextInt(60);
                    images[i * ROWS * COLS + r * COLS + c] = (byte) value;
                }
            }
        }
        return new ImageDataset(name, split, new int[] {1, ROWS, COLS}, images, labels, classes);
    }

    /** Writes one gzipped IDX file of unsigned bytes. */
    public static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(idxBytes(dims, data));
        }
    }

    /** The raw (not gzipped) IDX encoding of {@code data} with {@code dims}. */
    public static byte[] idxBytes(int[] dims, byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) IdxFile.TYPE_UNSIGNED_BYTE).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        byte[] out = new byte[header.capacity() + data.length];
        System.arraycopy(header.array(), 0, out, 0, header.capacity());
        System.arraycopy(data, 0, out, header.capacity(), data.length);
        return out;
    }
}
