package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.WeightSnapshot;

/** Told what the trainer does, e.g. to print the tutorial's progress lines or count metrics. */
public interface TrainingListener {

    /** Before the first batch of {@code epoch} (1-based). */
    default void onEpochStart(int epoch) {
    }

    /**
     * After one optimizer step.
     *
     * @param loss           the batch's mean loss before the step (PyTorch's {@code loss.item()})
     * @param samplesInEpoch samples of this epoch trained so far, this batch included
     * @param datasetSize    samples in one epoch
     */
    default void onBatch(int epoch, int batchIndex, double loss, int samplesInEpoch, int datasetSize,
                         long stepNanos) {
    }

    default void onSnapshot(WeightSnapshot snapshot) {
    }
}
