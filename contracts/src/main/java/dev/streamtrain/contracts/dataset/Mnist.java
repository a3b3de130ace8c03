package dev.streamtrain.contracts.dataset;

import java.net.URI;
import java.util.List;

/** LeCun's MNIST handwritten digits: 28x28 grey images in 10 classes, IDX files. */
public final class Mnist implements DatasetDefinition {

    public static final String NAME = "mnist";

    private static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    // The mirrors torchvision uses, in its order.
    private static final DatasetDownloads DOWNLOADS = new DatasetDownloads(
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            List.of(new DatasetFile("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                    new DatasetFile("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
                    new DatasetFile("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
                    new DatasetFile("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c")));

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
}
