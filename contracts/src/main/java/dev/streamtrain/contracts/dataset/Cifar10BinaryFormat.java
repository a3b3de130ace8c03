package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The official binary version of CIFAR-10: {@code cifar-10-binary.tar.gz} unpacks to
 * {@code cifar-10-batches-bin/} with {@code data_batch_1.bin} … {@code data_batch_5.bin} (the training
 * set, in that order), {@code test_batch.bin} and {@code batches.meta.txt} (the class names, one a
 * line; not needed). Each {@code .bin} is records of 1 label byte and 3072 pixel bytes: the red, green
 * and blue planes of a 32x32 image, each 32 rows of 32. Samples keep that layout, shape [3, 32, 32].
 * <p>
 * A directory is complete when it, or its {@code cifar-10-batches-bin/}, holds the six {@code .bin}
 * files, or when it holds the archive, which {@link #load} then unpacks in place.
 */
public final class Cifar10BinaryFormat implements DatasetFormat {

    public static final String NAME = "cifar10-binary";
    public static final Cifar10BinaryFormat INSTANCE = new Cifar10BinaryFormat();

    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    public static final String DIRECTORY = "cifar-10-batches-bin";
    public static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    public static final String META_FILE = "batches.meta.txt";
    public static final int CHANNELS = 3;
    public static final int ROWS = 32;
    public static final int COLS = 32;
    public static final int PIXELS = CHANNELS * ROWS * COLS;
    /** One label byte, then the pixels. */
    public static final int RECORD = 1 + PIXELS;

    private static final List<String> FILES = Stream.concat(TRAIN_FILES.stream(), Stream.of(TEST_FILE)).toList();

    /** Public for {@link java.util.ServiceLoader}; use {@link #INSTANCE}. */
    public Cifar10BinaryFormat() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Stateless: every instance (the registry's, {@link #INSTANCE}) is the same format. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Cifar10BinaryFormat;
    }

    @Override
    public int hashCode() {
        return NAME.hashCode();
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The six batch files; the archive that holds them will do as well. */
    @Override
    public List<String> files() {
        return FILES;
    }

    @Override
    public boolean isComplete(Path directory) {
        return batchDirectory(directory).isPresent() || Files.isRegularFile(directory.resolve(ARCHIVE));
    }

    @Override
    public String describeMissing(Path directory) {
        if (isComplete(directory)) {
            return "complete";
        }
        Path sub = directory.resolve(DIRECTORY);
        if (Files.isDirectory(sub)) {
            return "missing " + ARCHIVE + ", and " + DIRECTORY + "/ lacks " + String.join(", ", missing(sub));
        }
        List<String> missing = missing(directory);
        if (missing.size() < FILES.size()) {
            return "missing " + ARCHIVE + ", and lacks " + String.join(", ", missing);
        }
        return "missing " + ARCHIVE + " (or " + DIRECTORY + "/ with " + String.join(", ", FILES) + ")";
    }

    @Override
    public ImageDataset load(DatasetDefinition definition, Path directory, Split split) throws IOException {
        DatasetFormat.requireFileSplit(this, split);
        Path batches = batchDirectory(directory).orElse(null);
        if (batches == null) {
            Path archive = directory.resolve(ARCHIVE);
            if (!Files.isRegularFile(archive)) {
                throw new IOException(directory + ": " + describeMissing(directory));
            }
            TarGzArchive.unpack(archive, directory, FILES.stream().map(f -> DIRECTORY + "/" + f).toList());
            batches = directory.resolve(DIRECTORY);
        }
        List<Path> files = (split == Split.TRAIN ? TRAIN_FILES : List.of(TEST_FILE)).stream()
                .map(batches::resolve).toList();
        return read(definition, split, files);
    }

    /** The class names in {@code batches.meta.txt} beside the batches, one a line, if the file is there. */
    public static Optional<List<String>> classNames(Path batchDirectory) throws IOException {
        Path meta = batchDirectory.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        return Optional.of(Files.readAllLines(meta).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    /** {@code directory} itself if it holds the six batches, else its {@code cifar-10-batches-bin/} if that does. */
    static Optional<Path> batchDirectory(Path directory) {
        if (missing(directory).isEmpty()) {
            return Optional.of(directory);
        }
        Path sub = directory.resolve(DIRECTORY);
        return missing(sub).isEmpty() ? Optional.of(sub) : Optional.empty();
    }

    private static List<String> missing(Path directory) {
        return FILES.stream().filter(f -> !Files.isRegularFile(directory.resolve(f))).toList();
    }

    /** Reads the records of {@code files}, in order, after checking each file's size. */
    private static ImageDataset read(DatasetDefinition definition, Split split, List<Path> files) throws IOException {
        List<Integer> counts = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            long size = Files.size(file);
            if (size == 0 || size % RECORD != 0) {
                throw new IOException(file + ": size " + size + " is not a positive multiple of " + RECORD
                        + " (records of 1 label byte and " + PIXELS + " pixel bytes)");
            }
            counts.add((int) Math.min(Integer.MAX_VALUE, size / RECORD));
            total += size / RECORD;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 16) {
            throw new IOException(files + ": " + total + " records are too many to hold in memory");
        }
        byte[] pixels = new byte[(int) total * PIXELS];
        byte[] labels = new byte[(int) total];
        int first = 0;
        for (int i = 0; i < files.size(); i++) {
            readBatch(files.get(i), definition.numClasses(), pixels, labels, first, counts.get(i));
            first += counts.get(i);
        }
        return new ImageDataset(definition.name(), split, new int[] {CHANNELS, ROWS, COLS}, pixels, labels,
                definition.numClasses());
    }

    private static void readBatch(Path file, int numClasses, byte[] pixels, byte[] labels, int first, int count)
            throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int r = 0; r < count; r++) {
                int label = in.read();
                if (label < 0 || in.readNBytes(pixels, (first + r) * PIXELS, PIXELS) != PIXELS) {
                    throw new IOException(file + ": truncated: file ended in record " + r + " (it shrank while read)");
                }
                if (label >= numClasses) {
                    throw new IOException(file + ": label of record " + r + " is " + label + ", outside [0, "
                            + numClasses + ")");
                }
                labels[first + r] = (byte) label;
            }
            if (in.read() != -1) {
                throw new IOException(file + ": trailing bytes after " + count + " records (it grew while read)");
            }
        }
    }
}
