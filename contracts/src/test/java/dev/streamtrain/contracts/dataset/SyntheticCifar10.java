package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.COLS;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.DIRECTORY;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.PIXELS;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.RECORD;
import static dev.streamtrain.contracts.dataset.Cifar10BinaryFormat.ROWS;

/**
 * Writes a small, learnable dataset in CIFAR-10's official binary layout: {@code cifar-10-batches-bin/}
 * with {@code data_batch_1.bin} … {@code data_batch_5.bin}, {@code test_batch.bin} and
 * {@code batches.meta.txt}, or all of it packed as {@code cifar-10-binary.tar.gz}. Class c lights rows
 * 3c..3c+2 of every colour plane, plus noise, so a network learns it in one epoch. Shared with other
 * modules' tests.
 */
public final class SyntheticCifar10 {

    public static final int CLASSES = 10;
    private static final int BAND = ROWS / CLASSES;
    private static final List<String> CLASS_NAMES = new Cifar10().classNames();

    private SyntheticCifar10() {
    }

    /**
     * Writes {@code <directory>/cifar-10-batches-bin/}: {@code trainSize} training samples spread over the
     * five batches (the first ones one larger when it does not divide; at least 5) and {@code testSize}
     * test samples. Returns the batch directory.
     */
    public static Path write(Path directory, int trainSize, int testSize, long seed) throws IOException {
        Path batches = Files.createDirectories(directory.resolve(DIRECTORY));
        for (Map.Entry<String, byte[]> file : files(trainSize, testSize, seed).entrySet()) {
            Files.write(batches.resolve(file.getKey()), file.getValue());
        }
        return batches;
    }

    /** Writes the same files packed as {@code <directory>/cifar-10-binary.tar.gz}, and nothing else; returns it. */
    public static Path writeArchive(Path directory, int trainSize, int testSize, long seed) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(DIRECTORY + "/", new byte[0]);
        files(trainSize, testSize, seed).forEach((name, bytes) -> entries.put(DIRECTORY + "/" + name, bytes));
        Path archive = Files.createDirectories(directory).resolve(Cifar10BinaryFormat.ARCHIVE);
        tarGz(archive, entries);
        return archive;
    }

    /** The six batch files and the class names by file name, in the archive's order. */
    public static Map<String, byte[]> files(int trainSize, int testSize, long seed) {
        if (trainSize < Cifar10BinaryFormat.TRAIN_FILES.size() || testSize < 1) {
            throw new IllegalArgumentException("every batch needs a record: trainSize >= 5 and testSize >= 1, got "
                    + trainSize + " and " + testSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(Cifar10BinaryFormat.META_FILE, (String.join("\n", CLASS_NAMES) + "\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        int batches = Cifar10BinaryFormat.TRAIN_FILES.size();
        for (int b = 0; b < batches; b++) {
            int count = trainSize / batches + (b < trainSize % batches ? 1 : 0);
            files.put(Cifar10BinaryFormat.TRAIN_FILES.get(b), records(generate(Split.TRAIN, count, random)));
        }
        files.put(Cifar10BinaryFormat.TEST_FILE, records(generate(Split.TEST, testSize, random)));
        return files;
    }

    /** The same learnable data, in memory, shape [3, 32, 32]. */
    public static ImageDataset dataset(String name, Split split, int count, long seed) {
        ImageDataset data = generate(split, count, new SplittableRandom(seed));
        return new ImageDataset(name, split, data.sampleShape(), data.pixels(), data.labels(), CLASSES);
    }

    private static ImageDataset generate(Split split, int count, SplittableRandom random) {
        byte[] pixels = new byte[count * PIXELS];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int label = random.nextInt(CLASSES);
            labels[i] = (byte) label;
            for (int p = 0; p < PIXELS; p++) {
                int row = p / COLS % ROWS;
                boolean lit = row / BAND == label;
                pixels[i * PIXELS + p] = (byte) (lit ? 160 + random.nextInt(96) : random.nextInt(60));
            }
        }
        return new ImageDataset(Cifar10.NAME, split, new int[] {3, ROWS, COLS}, pixels, labels, CLASSES);
    }

    /** The binary encoding of {@code data}: per sample, its label byte, then its 3072 pixel bytes. */
    public static byte[] records(ImageDataset data) {
        byte[] out = new byte[data.size() * RECORD];
        for (int i = 0; i < data.size(); i++) {
            out[i * RECORD] = data.labels()[i];
            System.arraycopy(data.pixels(), i * PIXELS, out, i * RECORD + 1, PIXELS);
        }
        return out;
    }

    /** Packs {@code entries} (path in the archive to content; a path ending in '/' a directory) as a gzipped tar. */
    public static void tarGz(Path archive, Map<String, byte[]> entries) throws IOException {
        try (OutputStream file = Files.newOutputStream(archive);
             GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
    }
}
