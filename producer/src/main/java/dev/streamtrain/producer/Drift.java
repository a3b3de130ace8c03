package dev.streamtrain.producer;

import dev.streamtrain.contracts.dataset.ImageDataset;

import java.util.Arrays;
import java.util.Objects;

/**
 * A change a stream undergoes after its first {@code afterBatches} training batches, for a drift
 * demo: the labels turn into a seeded derangement of themselves ({@link Kind#PERMUTE_LABELS}), or the
 * samples come from another dataset of the same shape and classes ({@link Kind#SWAP_DATASET}, e.g.
 * MNIST turning into Fashion-MNIST). Either way the stream's sequence goes on unchanged.
 *
 * @param kind         what changes
 * @param afterBatches training batches of the stream sent before it changes, counted from its first (≥ 1)
 * @param to           the dataset swapped in ({@link Kind#SWAP_DATASET} only, else null)
 * @param seed         seed of the label derangement ({@link Kind#PERMUTE_LABELS})
 */
public record Drift(Kind kind, long afterBatches, ImageDataset to, long seed) {

    /** What a drift changes. */
    public enum Kind {
        NONE, PERMUTE_LABELS, SWAP_DATASET;

        /** The kind by its command-line name: {@code permute-labels} or {@code swap-dataset}. */
        public static Kind named(String name) {
            return switch (name) {
                case "permute-labels" -> PERMUTE_LABELS;
                case "swap-dataset" -> SWAP_DATASET;
                default -> throw new IllegalArgumentException("unknown drift '" + name
                        + "': permute-labels or swap-dataset");
            };
        }
    }

    private static final Drift NONE = new Drift(Kind.NONE, Long.MAX_VALUE, null, 0);

    public Drift {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.NONE && afterBatches < 1) {
            throw new IllegalArgumentException("a drift comes after at least 1 batch, got " + afterBatches);
        }
        if ((kind == Kind.SWAP_DATASET) != (to != null)) {
            throw new IllegalArgumentException("a dataset to swap in is given with, and only with, swap-dataset");
        }
    }

    /** No drift: the stream stays as it starts. */
    public static Drift none() {
        return NONE;
    }

    /** After {@code afterBatches} batches, every label becomes its image under the derangement {@code seed} makes. */
    public static Drift permuteLabels(long afterBatches, long seed) {
        return new Drift(Kind.PERMUTE_LABELS, afterBatches, null, seed);
    }

    /** After {@code afterBatches} batches, the samples at the same file indexes of {@code to}. */
    public static Drift swapDataset(long afterBatches, ImageDataset to) {
        return new Drift(Kind.SWAP_DATASET, afterBatches, to, 0);
    }

    /** Whether the stream's batch number {@code sequence} (0-based, over all epochs) is drifted. */
    public boolean drifts(long sequence) {
        return kind != Kind.NONE && sequence >= afterBatches;
    }

    /**
     * Refuses a drift the stream of {@code train} cannot take: a swapped-in dataset must have the same
     * sample shape and classes, and at least as many samples (it is read at the same file indexes).
     */
    void requireFits(ImageDataset train) {
        if (kind == Kind.PERMUTE_LABELS) {
            LabelPermutation.derangement(train.numClasses(), seed); // 2..256 classes
        }
        if (kind != Kind.SWAP_DATASET) {
            return;
        }
        if (!Arrays.equals(to.sampleShape(), train.sampleShape()) || to.numClasses() != train.numClasses()) {
            throw new IllegalArgumentException("cannot swap " + train.name() + " (samples of shape "
                    + Arrays.toString(train.sampleShape()) + ", " + train.numClasses() + " classes) for " + to.name()
                    + " (shape " + Arrays.toString(to.sampleShape()) + ", " + to.numClasses()
                    + " classes): the drifted dataset must have the same shape and classes");
        }
        if (to.size() < train.size()) {
            throw new IllegalArgumentException("cannot swap " + train.name() + " (" + train.size() + " training "
                    + "samples) for " + to.name() + ": it has " + to.size() + ", and the stream reads it at the same "
                    + "file indexes, so it needs at least " + train.size());
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "no drift";
            case PERMUTE_LABELS -> "labels permuted (seed " + seed + ") after " + afterBatches + " batches";
            case SWAP_DATASET -> "swapped to " + to.name() + " after " + afterBatches + " batches";
        };
    }
}
