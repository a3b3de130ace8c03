package dev.streamtrain.launcher.options;

import dev.streamtrain.launcher.spec.SpecKeys;
import dev.streamtrain.launcher.spec.SpecSettings;
import picocli.CommandLine.Option;

/** How the producer cuts the dataset into a stream, like the tutorial's DataLoader. */
public final class StreamOptions {

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training set (spec key epochs; default 10).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Samples per training minibatch; the last one of an epoch keeps the rest (batch_size; "
                    + "default 64).")
    Integer batchSize;

    @Option(names = "--test-batch-size", paramLabel = "N",
            description = "Samples per test-set batch (test_batch_size; default 64).")
    Integer testBatchSize;

    @Option(names = "--shuffle", negatable = true,
            description = "Shuffle the training set afresh each epoch, seeded, like DataLoader(shuffle=True) "
                    + "(shuffle; default true); --no-shuffle keeps the dataset's order.")
    Boolean shuffle;

    public SpecSettings settings() {
        return SpecSettings.empty()
                .putIfGiven(SpecKeys.EPOCHS, epochs, "--epochs")
                .putIfGiven(SpecKeys.BATCH_SIZE, batchSize, "--batch-size")
                .putIfGiven(SpecKeys.TEST_BATCH_SIZE, testBatchSize, "--test-batch-size")
                .putIfGiven(SpecKeys.SHUFFLE, shuffle, shuffle != null && !shuffle ? "--no-shuffle" : "--shuffle");
    }
}
