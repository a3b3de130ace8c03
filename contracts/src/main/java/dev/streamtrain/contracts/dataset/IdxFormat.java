package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The IDX format of MNIST and Fashion-MNIST: four files, {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte},
 * each gzipped ({@code .gz}, preferred) or raw. Images of dims [N, H, W] become samples of shape
 * [1, H, W], as {@code ToTensor()} makes them.
 */
public final class IdxFormat implements DatasetFormat {

    public static final String NAME = "idx";
    public static final IdxFormat INSTANCE = new IdxFormat();

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** Public for {@link java.util.ServiceLoader}; use {@link #INSTANCE}. */
    public IdxFormat() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Stateless: every instance (the registry's, {@link #INSTANCE}) is the same format. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IdxFormat;
    }

    @Override
    public int hashCode() {
        return NAME.hashCode();
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** The four base names; each file may be gzipped ({@code <name>.gz}) or raw. */
    @Override
    public List<String> files() {
        return FILES;
    }

    @Override
    public boolean isComplete(Path directory) {
        return FILES.stream().allMatch(f -> find(directory, f).isPresent());
    }

    @Override
    public String describeMissing(Path directory) {
        List<String> missing = FILES.stream().filter(f -> find(directory, f).isEmpty()).map(f -> f + ".gz").toList();
        return missing.isEmpty() ? "complete" : "missing " + String.join(", ", missing);
    }

    @Override
    public ImageDataset load(DatasetDefinition definition, Path directory, Split split) throws IOException {
        String imagesName = imagesFile(split);
        String labelsName = labelsFile(split);
        Path imagesFile = find(directory, imagesName).orElseThrow(() -> missing(directory, imagesName));
        Path labelsFile = find(directory, labelsName).orElseThrow(() -> missing(directory, labelsName));
        IdxArray labels = IdxFile.read(labelsFile);
        if (labels.dims().length != 1) {
            throw new IOException(labelsFile + ": label files hold [count], got dimensions "
                    + Arrays.toString(labels.dims()));
        }
        IdxArray images = IdxFile.read(imagesFile);
        if (images.dims().length != 3) {
            throw new IOException(imagesFile + ": image files hold [count, rows, cols], got dimensions "
                    + Arrays.toString(images.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IOException(imagesFile + " holds " + images.count() + " images but " + labelsFile + " holds "
                    + labels.count() + " labels");
        }
        int[] shape = {1, images.dims()[1], images.dims()[2]};
        try {
            return new ImageDataset(definition.name(), split, shape, images.data(), labels.data(),
                    definition.numClasses());
        } catch (IllegalArgumentException e) {
            throw new IOException(labelsFile + ": " + e.getMessage(), e);
        }
    }

    /** The base name of the images file of {@code split} (TRAIN or TEST), e.g. {@code train-images-idx3-ubyte}. */
    public static String imagesFile(Split split) {
        DatasetFormat.requireFileSplit(INSTANCE, split);
        return split == Split.TRAIN ? TRAIN_IMAGES : TEST_IMAGES;
    }

    /** The base name of the labels file of {@code split} (TRAIN or TEST), e.g. {@code t10k-labels-idx1-ubyte}. */
    public static String labelsFile(Split split) {
        DatasetFormat.requireFileSplit(INSTANCE, split);
        return split == Split.TRAIN ? TRAIN_LABELS : TEST_LABELS;
    }

    /** The gzipped file if there is one, else the raw one. */
    static Optional<Path> find(Path directory, String baseName) {
        for (String name : new String[] {baseName + ".gz", baseName}) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static IOException missing(Path directory, String baseName) {
        return new IOException(directory + " has neither " + baseName + ".gz nor " + baseName);
    }
}
