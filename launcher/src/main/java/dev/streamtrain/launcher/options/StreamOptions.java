package dev.streamtrain.launcher.options;

import picocli.CommandLine.Option;

/** How the producer cuts the dataset into a stream, like the tutorial's DataLoader. */
public final class StreamOptions {

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    public int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Samples per training minibatch; the last one of an epoch keeps the rest "
                    + "(default: ${DEFAULT-VALUE}).")
    public int batchSize;

    @Option(names = "--test-batch-size", paramLabel = "N", defaultValue = "64",
            description = "Samples per test-set batch (default: ${DEFAULT-VALUE}).")
    public int testBatchSize;

    @Option(names = "--no-shuffle", description = "Keep the dataset's order in every epoch (default: shuffle per "
            + "epoch, seeded, like DataLoader(shuffle=True)).")
    public boolean noShuffle;

    public void validate() {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1 || testBatchSize < 1) {
            throw new IllegalArgumentException("--batch-size and --test-batch-size must be >= 1, got " + batchSize
                    + " and " + testBatchSize);
        }
    }
}
