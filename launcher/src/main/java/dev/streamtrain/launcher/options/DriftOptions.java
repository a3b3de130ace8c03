package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.dataset.DatasetNotFoundException;
import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.launcher.spec.SpecSettings;
import dev.streamtrain.launcher.spec.StreamSettings;
import dev.streamtrain.producer.Drift;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;

/** A drift demo: what the stream turns into after its first N training batches. */
public final class DriftOptions {

    @Option(names = "--drift-after", paramLabel = "N",
            description = "Drift after the stream's first N training batches (N >= 1, counted over all epochs from "
                    + "the stream's first batch).")
    Long after;

    @Option(names = "--drift", paramLabel = "KIND",
            description = "What drifts: permute-labels (every label becomes another class, a derangement seeded by "
                    + "--seed) or swap-dataset (the samples of --drift-dataset at the same file indexes, e.g. MNIST "
                    + "turning into Fashion-MNIST).")
    String kind;

    @Option(names = "--drift-dataset", paramLabel = "NAME",
            description = "The dataset swap-dataset swaps in: same sample shape and classes, at least as many "
                    + "training samples.")
    String dataset;

    @Option(names = "--drift-dataset-format", paramLabel = "FORMAT",
            description = "File format of --drift-data, as --dataset-format.")
    String datasetFormat;

    @Option(names = "--drift-classes", paramLabel = "N", description = "Classes of --drift-dataset, as --classes.")
    Integer classes;

    @Option(names = "--drift-data", paramLabel = "DIR",
            description = "Directory with --drift-dataset's files, as --data.")
    Path dataDir;

    /**
     * The drift asked for, or {@link Drift#none()}; a swapped-in dataset is located (or downloaded, unless
     * {@code noDownload}) and loaded as {@code --dataset} is.
     */
    public Drift drift(long seed, boolean noDownload, PrintStream progress) throws DatasetNotFoundException {
        if (kind == null) {
            if (after != null || dataset != null || dataDir != null || datasetFormat != null || classes != null) {
                throw new IllegalArgumentException("--drift-after and the --drift-dataset options need --drift "
                        + "permute-labels|swap-dataset");
            }
            return Drift.none();
        }
        Drift.Kind drift = Drift.Kind.named(kind);
        if (after == null) {
            throw new IllegalArgumentException("--drift " + kind + " needs --drift-after N: the training batches "
                    + "sent before it");
        }
        if (after < 1) {
            throw new IllegalArgumentException("--drift-after must be >= 1, got " + after);
        }
        if (drift == Drift.Kind.PERMUTE_LABELS) {
            if (dataset != null || dataDir != null || datasetFormat != null || classes != null) {
                throw new IllegalArgumentException("--drift permute-labels keeps the dataset: the --drift-dataset "
                        + "options are for swap-dataset");
            }
            return Drift.permuteLabels(after, seed);
        }
        if (dataset == null) {
            throw new IllegalArgumentException("--drift swap-dataset needs --drift-dataset NAME (and --drift-data DIR "
                    + "where its files are)");
        }
        DataOptions to = new DataOptions();
        to.dataset = dataset;
        to.datasetFormat = datasetFormat;
        to.classes = classes;
        to.dataDir = dataDir;
        to.noDownload = noDownload;
        ImageDataset train = to.load(StreamSettings.from(SpecSettings.empty().overriddenBy(to.settings())), progress)
                .train();
        return Drift.swapDataset(after, train);
    }
}
