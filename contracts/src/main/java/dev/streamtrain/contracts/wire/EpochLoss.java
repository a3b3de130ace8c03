package dev.streamtrain.contracts.wire;

/**
 * The training loss of one epoch so far: the sum of the batch-mean losses of the epoch's batches
 * trained up to a snapshot, and how many batches that is. At the end of an epoch {@link #mean()} is
 * the tutorial's train loss per epoch (the mean over the epoch's batches, as the test loop averages
 * its batches). Carried in the snapshot as sum and count, not as a mean, so that a trainer resuming
 * mid-epoch goes on adding to exactly the sum an uninterrupted one would hold.
 *
 * @param sum     sum of the batch losses, NaN when unknown (a version 1 snapshot carries none)
 * @param batches number of batches summed, {@code >= 0}
 */
public record EpochLoss(double sum, int batches) {

    /** Nothing trained yet in the epoch. */
    public static final EpochLoss NONE = new EpochLoss(0, 0);

    /** The loss is not known, e.g. for a snapshot written before snapshots carried it. */
    public static final EpochLoss UNKNOWN = new EpochLoss(Double.NaN, 0);

    public EpochLoss {
        if (batches < 0) {
            throw new IllegalArgumentException("train loss batches must be >= 0, got " + batches);
        }
    }

    /** Mean batch loss of the epoch so far; NaN if unknown or no batch was trained. */
    public double mean() {
        return batches == 0 ? Double.NaN : sum / batches;
    }

    /** This epoch's loss after one more batch of loss {@code batchLoss}. */
    public EpochLoss plus(double batchLoss) {
        return new EpochLoss(sum + batchLoss, batches + 1);
    }
}
