package dev.streamtrain.contracts.wire;

import java.util.List;
import java.util.Objects;

/**
 * The trainer's test-then-train (prequential) state after a step, carried in the snapshot (version
 * 4 on) so that a resumed run and a replay go on from exactly where the run was: the batches of the
 * sliding window, oldest first, and the fading average's three sums. The values are computed here,
 * once, for the trainer's gauges and the evaluator's metrics alike.
 *
 * <p>Window: the most recent whole batches holding at most {@code window} samples together (always
 * at least the newest batch). Its accuracy is {@code Σ correct / Σ samples}; its loss the
 * sample-weighted mean of the batches' mean losses, {@code Σ (loss · samples) / Σ samples}, summed
 * oldest first in binary64.
 *
 * <p>Fading (River's convention, per sample {@code S ← α·S + x}, {@code N ← α·N + 1}): a batch of
 * {@code b} samples counts as {@code b} samples each of the batch's mean; its accuracy
 * {@code correct / b}, its loss the batch loss. Accuracy is {@code fadingAccuracySum / fadingWeight},
 * loss {@code fadingLossSum / fadingWeight}.
 *
 * @param fadingWeight      {@code N}, the faded count of samples
 * @param fadingAccuracySum {@code S} of the samples' correctness (0 or 1, each the batch's mean)
 * @param fadingLossSum     {@code S} of the samples' loss (each the batch's mean loss)
 * @param window            the window's batches, oldest first
 */
public record PrequentialState(double fadingWeight, double fadingAccuracySum, double fadingLossSum,
                               List<Batch> window) {

    /** Nothing trained yet. */
    public static final PrequentialState EMPTY = new PrequentialState(0, 0, 0, List.of());

    /**
     * One batch of the window.
     *
     * @param samples samples of the batch, {@code >= 1}
     * @param correct of them classified correctly before the update, in {@code [0, samples]}
     * @param loss    the batch's mean loss before the update
     */
    public record Batch(int samples, int correct, double loss) {
        public Batch {
            if (samples < 1 || correct < 0 || correct > samples) {
                throw new IllegalArgumentException("a prequential window batch must count 0 <= correct <= samples, "
                        + "samples >= 1, got " + correct + " of " + samples);
            }
        }
    }

    public PrequentialState {
        window = List.copyOf(Objects.requireNonNull(window, "window"));
        if (!(fadingWeight >= 0)) {
            throw new IllegalArgumentException("prequential fading weight must be >= 0, got " + fadingWeight);
        }
    }

    /** Samples the window holds. */
    public long windowSamples() {
        long samples = 0;
        for (Batch b : window) {
            samples += b.samples();
        }
        return samples;
    }

    /** Fraction of the window's samples predicted correctly; NaN when empty. */
    public double windowAccuracy() {
        long correct = 0;
        for (Batch b : window) {
            correct += b.correct();
        }
        long samples = windowSamples();
        return samples == 0 ? Double.NaN : (double) correct / samples;
    }

    /** Mean loss over the window's samples; NaN when empty. */
    public double windowLoss() {
        double sum = 0;
        for (Batch b : window) {
            sum += b.loss() * b.samples();
        }
        long samples = windowSamples();
        return samples == 0 ? Double.NaN : sum / samples;
    }

    /** Faded accuracy; NaN before the first batch. */
    public double fadingAccuracy() {
        return fadingWeight == 0 ? Double.NaN : fadingAccuracySum / fadingWeight;
    }

    /** Faded loss; NaN before the first batch. */
    public double fadingLoss() {
        return fadingWeight == 0 ? Double.NaN : fadingLossSum / fadingWeight;
    }
}
