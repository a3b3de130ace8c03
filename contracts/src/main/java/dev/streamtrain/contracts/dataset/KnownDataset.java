package dev.streamtrain.contracts.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The datasets streamtrain can read, where they are published and where Debian installs them. */
public enum KnownDataset {

    FASHION_MNIST("fashion-mnist", 10,
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            Optional.of(Path.of("/usr/share/datasets/fashion-mnist")),
            "apt-get install dataset-fashion-mnist",
            new DatasetFile("train-images-idx3-ubyte", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            new DatasetFile("train-labels-idx1-ubyte", "25c81989df183df01b3e8a0aad5dffbe"),
            new DatasetFile("t10k-images-idx3-ubyte", "bef4ecab320f06d8554ea6380940ec79"),
            new DatasetFile("t10k-labels-idx1-ubyte", "bb300cfdad3c16e7a12a480ee83cd310")),

    MNIST("mnist", 10,
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            Optional.empty(),
            null,
            new DatasetFile("train-images-idx3-ubyte", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            new DatasetFile("train-labels-idx1-ubyte", "d53e105ee54ea40749a09fcbcd1e9432"),
            new DatasetFile("t10k-images-idx3-ubyte", "9fb629c4189551a2d022fa330f9573f3"),
            new DatasetFile("t10k-labels-idx1-ubyte", "ec29112dd5afa0611ce80d1b7f02629c"));

    private final String id;
    private final int numClasses;
    private final List<URI> mirrors;
    private final Optional<Path> systemDirectory;
    private final String systemPackageHint;
    private final DatasetFile trainImages;
    private final DatasetFile trainLabels;
    private final DatasetFile testImages;
    private final DatasetFile testLabels;

    KnownDataset(String id, int numClasses, List<URI> mirrors, Optional<Path> systemDirectory,
                 String systemPackageHint, DatasetFile trainImages, DatasetFile trainLabels,
                 DatasetFile testImages, DatasetFile testLabels) {
        this.id = id;
        this.numClasses = numClasses;
        this.mirrors = mirrors;
        this.systemDirectory = systemDirectory;
        this.systemPackageHint = systemPackageHint;
        this.trainImages = trainImages;
        this.trainLabels = trainLabels;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    /** The name used on the command line, in records and in {@code ./data/<id>/}. */
    public String id() {
        return id;
    }

    public int numClasses() {
        return numClasses;
    }

    public List<URI> mirrors() {
        return mirrors;
    }

    /** Where a system package installs the files, if one does. */
    public Optional<Path> systemDirectory() {
        return systemDirectory;
    }

    /** The command that installs the system package, if there is one. */
    public Optional<String> systemPackageHint() {
        return Optional.ofNullable(systemPackageHint);
    }

    public DatasetFile images(dev.streamtrain.contracts.wire.Split split) {
        return split == dev.streamtrain.contracts.wire.Split.TRAIN ? trainImages : testImages;
    }

    public DatasetFile labels(dev.streamtrain.contracts.wire.Split split) {
        return split == dev.streamtrain.contracts.wire.Split.TRAIN ? trainLabels : testLabels;
    }

    public List<DatasetFile> files() {
        return List.of(trainImages, trainLabels, testImages, testLabels);
    }

    public static KnownDataset fromId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(d -> d.id.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset '" + id + "'; known: "
                        + Arrays.stream(values()).map(KnownDataset::id).collect(Collectors.joining(", "))));
    }
}
