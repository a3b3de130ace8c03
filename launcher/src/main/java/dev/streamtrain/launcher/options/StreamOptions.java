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

    @Option(names = "--drop-last", negatable = true,
            description = "Drop each epoch's last batch if it is smaller, like DataLoader(drop_last=True) (drop_last; "
                    + "default false).")
    Boolean dropLast;

    @Option(names = "--val-fraction", paramLabel = "F",
            description = "Carve this fraction of the training set off as a validation split, seeded, never trained "
                    + "on; the evaluator validates every snapshot on it (val_fraction, e.g. 0.1).")
    Double valFraction;

    @Option(names = "--val-size", paramLabel = "N",
            description = "Carve this many samples off as the validation split (val_size; instead of --val-fraction).")
    Integer valSize;

    public SpecSettings settings() {
        return SpecSettings.empty()
                .putIfGiven(SpecKeys.EPOCHS, epochs, "--epochs")
                .putIfGiven(SpecKeys.BATCH_SIZE, batchSize, "--batch-size")
                .putIfGiven(SpecKeys.TEST_BATCH_SIZE, testBatchSize, "--test-batch-size")
                .putIfGiven(SpecKeys.SHUFFLE, shuffle, shuffle != null && !shuffle ? "--no-shuffle" : "--shuffle")
                .putIfGiven(SpecKeys.DROP_LAST, dropLast, dropLast != null && !dropLast ? "--no-drop-last" : "--drop-last")
                .putIfGiven(SpecKeys.VAL_FRACTION, valFraction, "--val-fraction")
                .putIfGiven(SpecKeys.VAL_SIZE, valSize, "--val-size");
    }
}
