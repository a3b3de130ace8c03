package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.model.TutorialMlp;
import picocli.CommandLine.Option;

/** The network, the optimizer and how often to snapshot. */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "NAME", defaultValue = TutorialMlp.NAME,
            description = "Network (default: ${DEFAULT-VALUE}, the tutorial's 784-512-512-10 MLP).")
    public String model;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    public double learningRate;

    @Option(names = "--snapshot-every", paramLabel = "BATCHES", defaultValue = "0",
            description = "Also publish a snapshot every this many batches (default: ${DEFAULT-VALUE}: only at "
                    + "the end of each epoch).")
    public int snapshotEvery;

    public OptimizerSpec optimizer() {
        return OptimizerSpec.sgd(learningRate);
    }
}
