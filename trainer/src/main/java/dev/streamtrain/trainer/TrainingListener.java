package dev.streamtrain.trainer;

import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.wire.PrequentialMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;

/** Told what the trainer does, e.g. to print the tutorial's progress lines or count metrics. */
public interface TrainingListener {

    /** Listens to nothing. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Once the run's spec is known: at its first batch, or when a restarted trainer resumes it. */
    default void onRunStart(RunSpec spec) {
    }

    /**
     * When a restarted trainer resumes its run from the run's last committed {@code snapshot}, reading
     * the stream again from minibatch offset {@code nextOffset}.
     */
    default void onResume(WeightSnapshot snapshot, long nextOffset) {
    }

    /** Before the first batch of {@code epoch} (1-based). */
    default void onEpochStart(int epoch) {
    }

    /**
     * After one optimizer step.
     *
     * @param loss           the batch's mean loss before the step (PyTorch's {@code loss.item()})
     * @param accuracy       the fraction of the batch the training-mode forward pass classified correctly
     * @param samplesInEpoch samples of this epoch trained so far, this batch included
     * @param datasetSize    samples in one epoch
     */
    default void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch, int datasetSize,
                         long stepNanos) {
    }

    /** After {@link #onBatch}: the test-then-train metrics with that batch, predicted before its step, counted. */
    default void onPrequential(PrequentialMetrics metrics) {
    }

    default void onSnapshot(WeightSnapshot snapshot) {
    }

    /** Tells {@code first}, then {@code second}. */
    static TrainingListener both(TrainingListener first, TrainingListener second) {
        return new TrainingListener() {
            @Override
            public void onRunStart(RunSpec spec) {
                first.onRunStart(spec);
                second.onRunStart(spec);
            }

            @Override
            public void onResume(WeightSnapshot snapshot, long nextOffset) {
                first.onResume(snapshot, nextOffset);
                second.onResume(snapshot, nextOffset);
            }

            @Override
            public void onEpochStart(int epoch) {
                first.onEpochStart(epoch);
                second.onEpochStart(epoch);
            }

            @Override
            public void onBatch(int epoch, int batchIndex, double loss, double accuracy, int samplesInEpoch,
                                int datasetSize,
                                long stepNanos) {
                first.onBatch(epoch, batchIndex, loss, accuracy, samplesInEpoch, datasetSize, stepNanos);
                second.onBatch(epoch, batchIndex, loss, accuracy, samplesInEpoch, datasetSize, stepNanos);
            }

            @Override
            public void onPrequential(PrequentialMetrics metrics) {
                first.onPrequential(metrics);
                second.onPrequential(metrics);
            }

            @Override
            public void onSnapshot(WeightSnapshot snapshot) {
                first.onSnapshot(snapshot);
                second.onSnapshot(snapshot);
            }
        };
    }
}
