package dev.streamtrain.launcher.options;

import dev.streamtrain.contracts.run.PrequentialSpec;
import picocli.CommandLine.Option;

/** How the trainer measures its test-then-train (prequential) metrics: the window and the fading factor. */
public final class PrequentialOptions {

    @Option(names = "--window", paramLabel = "N", defaultValue = "1000",
            description = "Samples of the sliding window of the test-then-train metrics "
                    + "(streamtrain_prequential_accuracy/_loss, estimator=window), in whole batches, 1 to 100000 "
                    + "(default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--fading-factor", paramLabel = "A", defaultValue = "0.999",
            description = "Weight of the past per sample in the fading test-then-train metrics (estimator=fading), "
                    + "in (0, 1]; 1 is a plain running mean (default: ${DEFAULT-VALUE}).")
    double fadingFactor;

    /** The measures asked for; {@link IllegalArgumentException} naming the option if out of range. */
    public PrequentialSpec spec() {
        return new PrequentialSpec(window, fadingFactor);
    }
}
