package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;

/**
 * The training batches of a {@link TrainingStream} in the order they are sent, drifted where its
 * {@link Drift} says: batch {@code b} of epoch {@code e} is cut from epoch {@code e}'s order of the
 * plan, from the swapped-in dataset at the same file indexes once a swap has come, with labels
 * mapped through the derangement once a permutation has come.
 */
final class TrainingBatches {

    private final TrainingStream stream;
    private final StreamPlan plan;
    private final MinibatchSlicer slicer;
    private final MinibatchSlicer drifted;
    private final LabelPermutation permutation;
    private int epoch;
    private int[] order;

    TrainingBatches(TrainingStream stream, StreamPlan plan) {
        this.stream = stream;
        this.plan = plan;
        this.slicer = slicer(stream, plan, stream.train());
        Drift drift = stream.drift();
        this.drifted = drift.kind() == Drift.Kind.SWAP_DATASET ? slicer(stream, plan, drift.to()) : slicer;
        this.permutation = drift.kind() == Drift.Kind.PERMUTE_LABELS
                ? LabelPermutation.derangement(stream.train().numClasses(), drift.seed()) : null;
    }

    private static MinibatchSlicer slicer(TrainingStream stream, StreamPlan plan, ImageDataset file) {
        return new MinibatchSlicer(file, Split.TRAIN, plan.trainSize(), stream.batchSize(), plan.batchesPerEpoch(),
                stream.sampling());
    }

    int batchesPerEpoch() {
        return slicer.batchesPerEpoch();
    }

    /** Batch {@code batchIndex} of 1-based {@code epoch}, the stream's batch number {@code sequence} (0-based). */
    Minibatch batch(int epoch, int batchIndex, long sequence) {
        if (epoch != this.epoch) {
            this.order = plan.epochOrder(epoch);
            this.epoch = epoch;
        }
        if (!stream.drift().drifts(sequence)) {
            return slicer.batch(epoch, stream.epochs(), batchIndex, order);
        }
        Minibatch batch = drifted.batch(epoch, stream.epochs(), batchIndex, order);
        if (permutation == null) {
            return batch;
        }
        return new Minibatch(batch.dataset(), batch.split(), batch.epoch(), batch.epochs(), batch.batchIndex(),
                batch.batchesPerEpoch(), batch.datasetSize(), batch.numClasses(), batch.sampleShape(), batch.pixels(),
                permutation.apply(batch.labels()), batch.sampling(), batch.sampleIndexes());
    }
}
