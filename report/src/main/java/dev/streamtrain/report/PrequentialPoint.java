package dev.streamtrain.report;

import dev.streamtrain.contracts.wire.PrequentialMetrics;

/**
 * One point of a run's test-then-train (prequential) curve: the trainer's metrics at an evaluated
 * snapshot's step, each batch predicted before it was trained on (the metrics record's
 * {@code prequential} member).
 *
 * @param step           the snapshot's step
 * @param samplesSeen    samples trained on by then
 * @param windowAccuracy accuracy over the last {@code --window} samples, in [0, 1]
 * @param fadingAccuracy accuracy with the fading factor, in [0, 1]
 * @param windowLoss     loss over the last {@code --window} samples
 * @param fadingLoss     loss with the fading factor
 */
public record PrequentialPoint(long step, long samplesSeen, double windowAccuracy, double fadingAccuracy,
                               double windowLoss, double fadingLoss) {

    static PrequentialPoint of(long step, long samplesSeen, PrequentialMetrics m) {
        return new PrequentialPoint(step, samplesSeen, m.windowAccuracy(), m.fadingAccuracy(), m.windowLoss(),
                m.fadingLoss());
    }
}
