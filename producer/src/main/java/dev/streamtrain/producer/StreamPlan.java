package dev.streamtrain.producer;

import dev.streamtrain.contracts.wire.Sampling;

import java.util.Arrays;

/**
 * Which samples of a training file go where, as {@code random_split} and {@code DataLoader} would
 * put them: the validation split (the last {@code validationSize} positions of the seed's epoch-0
 * permutation, as {@code random_split(data, [n - v, v])} takes them), the training subset (the
 * first {@code n - v}, in that order; the file's own order when there is no validation split), and
 * each epoch's order over the training subset (shuffled or not), cut into batches of
 * {@code batchSize}, the last one dropped if {@code dropLast} and smaller.
 */
public final class StreamPlan {

    private final Sampling sampling;
    private final int batchSize;
    private final int[] train;
    private final int[] validation;

    public StreamPlan(int fileSize, Sampling sampling, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (sampling.validationSize() >= fileSize) {
            throw new IllegalArgumentException("a validation split of " + sampling.validationSize() + " leaves no "
                    + "training samples of " + fileSize);
        }
        this.sampling = sampling;
        this.batchSize = batchSize;
        if (sampling.hasValidation()) {
            int[] split = EpochShuffler.permutation(sampling.seed(), 0, fileSize);
            int trainSize = fileSize - sampling.validationSize();
            this.train = Arrays.copyOfRange(split, 0, trainSize);
            this.validation = Arrays.copyOfRange(split, trainSize, fileSize);
        } else {
            this.train = EpochShuffler.identity(fileSize);
            this.validation = new int[0];
        }
        if (batchesPerEpoch() < 1) {
            throw new IllegalArgumentException("drop_last with batch size " + batchSize + " drops every one of the "
                    + train.length + " training samples");
        }
    }

    public Sampling sampling() {
        return sampling;
    }

    /** Samples in the training subset, {@code len(dataloader.dataset)}. */
    public int trainSize() {
        return train.length;
    }

    public int batchesPerEpoch() {
        return sampling.dropLast() ? train.length / batchSize : (train.length + batchSize - 1) / batchSize;
    }

    /** Indexes into the training file of the samples of 1-based {@code epoch}, in the order it visits them. */
    public int[] epochOrder(int epoch) {
        int[] positions = new EpochShuffler(sampling.seed(), sampling.shuffle()).order(epoch, train.length);
        int[] order = new int[positions.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = train[positions[i]];
        }
        return order;
    }

    /** Indexes into the training file of the validation split, in its order. */
    public int[] validationIndexes() {
        return validation.clone();
    }

    /** Indexes into the training file of the training subset, in its (unshuffled) order. */
    public int[] trainIndexes() {
        return train.clone();
    }
}
