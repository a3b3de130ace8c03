package dev.streamtrain.contracts.dataset;

/**
 * One file of a dataset as its publishers name it, e.g. {@code train-images-idx3-ubyte}, with the
 * MD5 of its official {@code .gz} download (the checksums torchvision checks too).
 */
public record DatasetFile(String baseName, String gzipMd5) {

    public String gzipName() {
        return baseName + ".gz";
    }
}
