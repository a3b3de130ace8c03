package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.dataset.DatasetDefinition;
import dev.streamtrain.contracts.dataset.DatasetDownloader;
import dev.streamtrain.contracts.dataset.DatasetFormat;
import dev.streamtrain.contracts.dataset.DatasetLoader;
import dev.streamtrain.contracts.dataset.DatasetLocator;
import dev.streamtrain.contracts.dataset.DatasetNotFoundException;
import dev.streamtrain.contracts.dataset.Datasets;
import dev.streamtrain.contracts.dataset.LoadedDataset;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Which dataset, in which file format, and where its files are. */
public final class DataOptions {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist (default), mnist or cifar10; or a name of your own with --dataset-format, "
                    + "--classes and --data (spec key dataset).")
    String dataset;

    @Option(names = "--dataset-format", paramLabel = "FORMAT",
            description = "File format of the files in --data: idx (MNIST's) or cifar10-binary; default: the "
                    + "registered dataset's (spec key dataset_format).")
    String datasetFormat;

    @Option(names = "--classes", paramLabel = "N",
            description = "Number of classes of a dataset given by --dataset-format (labels 0..N-1); default: the "
                    + "registered dataset's (spec key classes).")
    Integer classes;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the dataset's files (IDX .gz or raw; CIFAR-10's .bin or "
                    + "cifar-10-binary.tar.gz); searched before ./data/<dataset>/, /usr/share/datasets/<dataset>/ and "
                    + "downloading.")
    Path dataDir;

    @Option(names = "--no-download", description = "Never download the dataset; fail if no directory has it.")
    boolean noDownload;

    /** Whether datasets must be found, never downloaded. */
    public boolean noDownload() {
        return noDownload;
    }

    public SpecSettings settings() {
        return SpecSettings.empty().putIfGiven(SpecKeys.DATASET, dataset, "--dataset")
                .putIfGiven(SpecKeys.DATASET_FORMAT, datasetFormat, "--dataset-format")
                .putIfGiven(SpecKeys.CLASSES, classes, "--classes");
    }

    /**
     * Loads both splits of the settings' dataset, locating (or downloading) the files first. A file that
     * is there but malformed is bad input: an {@link UncheckedIOException} naming the file and the problem.
     */
    public LoadedDataset load(StreamSettings settings, PrintStream progress) throws DatasetNotFoundException {
        DatasetDefinition definition = definition(settings, dataDir != null);
        try {
            return DatasetLoader.load(definition, Optional.ofNullable(dataDir), Path.of("data"), !noDownload, progress);
        } catch (IOException e) {
            // A file that is there but malformed (the message names it and the problem) is bad input.
            throw new UncheckedIOException("dataset '" + definition.name() + "': " + e.getMessage(), e);
        }
    }

    /** A dataset read from the directory its files were found in. */
    public record Found(Path directory, LoadedDataset dataset) {
    }

    /**
     * The settings' dataset if its files are already in one of the places {@link #load} looks (never
     * downloading), else empty. A malformed file is bad input, as for {@link #load}.
     */
    public Optional<Found> loadIfPresent(StreamSettings settings) {
        DatasetDefinition definition = definition(settings, dataDir != null);
        Path directory;
        try {
            directory = new DatasetLocator(Optional.ofNullable(dataDir), Path.of("data"), false,
                    new DatasetDownloader(System.err)).locate(definition);
        } catch (DatasetNotFoundException e) {
            return Optional.empty();
        }
        try {
            DatasetFormat format = definition.format();
            return Optional.of(new Found(directory, new LoadedDataset(definition,
                    format.load(definition, directory, Split.TRAIN), format.load(definition, directory, Split.TEST))));
        } catch (IOException e) {
            throw new UncheckedIOException("dataset '" + definition.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The dataset the settings name: a registered one as registered; with a format, a user's own files
     * (then --data is needed, and --classes unless the name is registered).
     */
    static DatasetDefinition definition(StreamSettings settings, boolean dataGiven) {
        String name = settings.dataset();
        int classes = settings.classes();
        if (settings.datasetFormat().isEmpty()) {
            DatasetDefinition registered = Datasets.get(name);
            if (classes != 0 && classes != registered.numClasses()) {
                throw new IllegalArgumentException(SpecKeys.CLASSES + " " + classes + " does not fit " + name
                        + ", which has " + registered.numClasses() + " classes; to read other files give "
                        + SpecKeys.DATASET_FORMAT + " (--dataset-format) and --data too");
            }
            return registered;
        }
        String format = settings.datasetFormat().get();
        if (Datasets.isRegistered(name)) {
            DatasetDefinition registered = Datasets.get(name);
            if (registered.format().name().equalsIgnoreCase(format)
                    && (classes == 0 || classes == registered.numClasses())) {
                return registered;
            }
            requireData(dataGiven, name, format);
            return Datasets.withFormat(registered, format, classes);
        }
        if (classes == 0) {
            throw new IllegalArgumentException("dataset '" + name + "' is not registered (known: "
                    + String.join(", ", Datasets.names()) + "): give its number of classes with --classes N (spec key "
                    + SpecKeys.CLASSES + ")");
        }
        requireData(dataGiven, name, format);
        return Datasets.custom(name, format, classes);
    }

    private static void requireData(boolean dataGiven, String name, String format) {
        if (!dataGiven) {
            throw new IllegalArgumentException("dataset '" + name + "' in format " + format
                    + " is read from your own files: give their directory with --data DIR");
        }
    }
}
