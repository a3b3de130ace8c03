package dev.streamtrain.contracts.dataset;

import java.net.URI;
import java.util.List;

/**
 * Krizhevsky's CIFAR-10: 32x32 colour images in 10 classes, 50000 for training and 10000 for testing,
 * in its official binary version ({@link Cifar10BinaryFormat}).
 */
public final class Cifar10 implements DatasetDefinition {

    public static final String NAME = "cifar10";

    private static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");
    private static final DatasetDownloads DOWNLOADS = new DatasetDownloads(
            List.of(URI.create("https://www.cs.toronto.edu/~kriz/")),
            List.of(new DatasetFile(Cifar10BinaryFormat.ARCHIVE, "c32a1d4ab5d03f1284b67883e8d87530")));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
    }

    @Override
    public DatasetFormat format() {
        return Cifar10BinaryFormat.INSTANCE;
    }

    @Override
    public DatasetDownloads downloads() {
        return DOWNLOADS;
    }
}
