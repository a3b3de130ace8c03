package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.dataset.DatasetDownloader;
import dev.streamtrain.contracts.dataset.DatasetLocator;
import dev.streamtrain.contracts.dataset.DatasetNotFoundException;
import dev.streamtrain.contracts.dataset.IdxDatasetLoader;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.KnownDataset;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** Which dataset, and where its files are. */
public final class DataOptions {

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "fashion-mnist (default) or mnist (spec key dataset).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the dataset's IDX files (.gz or raw); searched before ./data/<dataset>/, "
                    + "/usr/share/datasets/<dataset>/ and downloading.")
    Path dataDir;

    @Option(names = "--no-download", description = "Never download the dataset; fail if no directory has it.")
    boolean noDownload;

    public SpecSettings settings() {
        return SpecSettings.empty().putIfGiven(SpecKeys.DATASET, dataset, "--dataset");
    }

    /** Loads both splits of {@code dataset}, locating (or downloading) the files first. */
    public ImageDataset[] load(String dataset, PrintStream progress) throws DatasetNotFoundException, IOException {
        KnownDataset known = KnownDataset.fromId(dataset);
        Path directory = new DatasetLocator(Optional.ofNullable(dataDir), Path.of("data"), !noDownload,
                new DatasetDownloader(progress)).locate(known);
        return new ImageDataset[] {
                IdxDatasetLoader.load(known, directory, Split.TRAIN),
                IdxDatasetLoader.load(known, directory, Split.TEST)};
    }
}
