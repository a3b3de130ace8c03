package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;

import java.util.Objects;

/**
 * What a producer streams for one stream id: {@code epochs} passes over the training subset of
 * {@code train} ({@link Minibatch#OPEN}: passes for as long as it runs), made as {@code sampling}
 * says, in batches of {@code batchSize}; the validation split in batches of {@code validationBatchSize};
 * and what drifts.
 */
public record TrainingStream(String stream, ImageDataset train, int batchSize, int epochs, Sampling sampling,
                             int validationBatchSize, Drift drift) {

    public TrainingStream {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(drift, "drift");
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 1, or 0 for an open stream, got " + epochs);
        }
        drift.requireFits(train);
    }

    /** {@code epochs} passes (≥ 1), no drift. */
    public static TrainingStream finite(String stream, ImageDataset train, int batchSize, int epochs,
                                        Sampling sampling, int validationBatchSize) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        return new TrainingStream(stream, train, batchSize, epochs, sampling, validationBatchSize, Drift.none());
    }

    /** Passes for as long as the producer runs, no drift. */
    public static TrainingStream open(String stream, ImageDataset train, int batchSize, Sampling sampling,
                                      int validationBatchSize) {
        return new TrainingStream(stream, train, batchSize, Minibatch.OPEN, sampling, validationBatchSize,
                Drift.none());
    }

    /** The same stream, drifting as {@code drift} says. */
    public TrainingStream drifting(Drift drift) {
        return new TrainingStream(stream, train, batchSize, epochs, sampling, validationBatchSize, drift);
    }

    /** Whether its passes go on for as long as the producer runs. */
    public boolean isOpen() {
        return epochs == Minibatch.OPEN;
    }
}
