package dev.streamtrain.contracts.dataset;

import dev.streamtrain.contracts.wire.Split;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One file format datasets are published in ({@link IdxFormat}, {@link Cifar10BinaryFormat}): which
 * files a directory must hold, and how to read the training and test splits from them. Each format
 * is one class, registered by {@link #name()} through {@code META-INF/services}; adding one touches
 * nothing else.
 */
public interface DatasetFormat {

    /** The name given with {@code --dataset-format}, e.g. {@code idx}. */
    String name();

    /** The files a complete directory holds, as their publishers name them. */
    List<String> files();

    /** True if {@code directory} holds everything {@link #load} needs (cheap: looks at names, reads nothing). */
    boolean isComplete(Path directory);

    /** What {@code directory} (an existing directory) lacks, e.g. {@code missing t10k-labels-idx1-ubyte.gz}. */
    String describeMissing(Path directory);

    /**
     * Reads one split, {@link Split#TRAIN} or {@link Split#TEST}, as the files store it.
     *
     * @throws IOException              naming the file and the problem when a file is missing or malformed
     * @throws IllegalArgumentException for any other split (a validation split is carved by the producer)
     */
    ImageDataset load(DatasetDefinition definition, Path directory, Split split) throws IOException;

    /** Rejects splits the files do not hold. */
    static void requireFileSplit(DatasetFormat format, Split split) {
        if (split != Split.TRAIN && split != Split.TEST) {
            throw new IllegalArgumentException(format.name() + " files hold the TRAIN and TEST splits, not " + split);
        }
    }
}
