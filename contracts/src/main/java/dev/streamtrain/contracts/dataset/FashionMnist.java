package dev.streamtrain.contracts.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Zalando's Fashion-MNIST, the tutorial's dataset: 28x28 grey images of clothes in 10 classes, IDX files. */
public final class FashionMnist implements DatasetDefinition {

    public static final String NAME = "fashion-mnist";

    private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final DatasetDownloads DOWNLOADS = new DatasetDownloads(
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            List.of(new DatasetFile("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                    new DatasetFile("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
                    new DatasetFile("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
                    new DatasetFile("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310")));

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
        return IdxFormat.INSTANCE;
    }

    @Override
    public DatasetDownloads downloads() {
        return DOWNLOADS;
    }

    /** Debian's {@code dataset-fashion-mnist} package installs the gzipped files here. */
    @Override
    public Optional<Path> systemDirectory() {
        return Optional.of(Path.of("/usr/share/datasets/fashion-mnist"));
    }

    @Override
    public Optional<String> systemPackageHint() {
        return Optional.of("apt-get install dataset-fashion-mnist");
    }
}
