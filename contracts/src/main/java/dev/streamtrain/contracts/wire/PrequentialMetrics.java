package dev.streamtrain.contracts.wire;

import dev.streamtrain.contracts.run.PrequentialSpec;

/**
 * The test-then-train (prequential) metrics of a run at a snapshot's step, as the metrics record's
 * {@code prequential} member carries them (docs/wire-format.md, section 5): each batch predicted
 * before the trainer trained on it.
 *
 * @param window         the window's size in samples ({@code --window})
 * @param windowSamples  samples the window held (whole batches, at most {@code window})
 * @param windowAccuracy fraction of them predicted correctly
 * @param windowLoss     their mean loss
 * @param fadingFactor   the fading factor ({@code --fading-factor})
 * @param fadingAccuracy faded accuracy
 * @param fadingLoss     faded loss
 */
public record PrequentialMetrics(int window, long windowSamples, double windowAccuracy, double windowLoss,
                                 double fadingFactor, double fadingAccuracy, double fadingLoss) {

    /** The metrics of {@code state}, measured as {@code spec} says. */
    public static PrequentialMetrics of(PrequentialSpec spec, PrequentialState state) {
        return new PrequentialMetrics(spec.window(), state.windowSamples(), state.windowAccuracy(),
                state.windowLoss(), spec.fadingFactor(), state.fadingAccuracy(), state.fadingLoss());
    }
}
