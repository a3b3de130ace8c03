package dev.streamtrain.contracts.run;

/**
 * How the trainer measures its test-then-train (prequential) metrics: each batch is predicted by its
 * training step's forward pass before the update, and its accuracy and loss go into a sliding
 * window and a fading average (River's {@code progressive_val_score}). A run spec member added in
 * 0.6; read as {@link #DEFAULT} from older specs.
 *
 * @param window       samples the sliding window covers at most ({@code --window}), in whole batches
 * @param fadingFactor weight of the past per sample in the fading average ({@code --fading-factor}), in (0, 1]
 */
public record PrequentialSpec(int window, double fadingFactor) {

    /** River's and our defaults: a window of 1000 samples, a fading factor of 0.999. */
    public static final PrequentialSpec DEFAULT = new PrequentialSpec(1000, 0.999);
    /** The widest window: each snapshot carries it (16 bytes a batch, at most this many batches). */
    public static final int MAX_WINDOW = 100_000;

    public PrequentialSpec {
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("--window must be in [1, " + MAX_WINDOW + "] samples, got " + window);
        }
        if (!(fadingFactor > 0 && fadingFactor <= 1)) {
            throw new IllegalArgumentException("--fading-factor must be in (0, 1] (1: a plain running mean), got "
                    + fadingFactor);
        }
    }
}
