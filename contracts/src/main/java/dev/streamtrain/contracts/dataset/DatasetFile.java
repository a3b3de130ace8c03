package dev.streamtrain.contracts.dataset;

import java.util.Objects;

/**
 * One file of a dataset's download as its publishers name it (e.g. {@code train-images-idx3-ubyte.gz},
 * {@code cifar-10-binary.tar.gz}) with its MD5, the checksum torchvision checks too.
 */
public record DatasetFile(String name, String md5) {

    public DatasetFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(md5, "md5");
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("a download's file name must be a plain file name, got '" + name + "'");
        }
    }
}
