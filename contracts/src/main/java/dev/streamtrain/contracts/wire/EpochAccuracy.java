package dev.streamtrain.contracts.wire;

/**
 * The training accuracy of one epoch so far: how many samples of the epoch's batches trained up to
 * a snapshot the network classified correctly in the training-mode forward pass of their step
 * (before the update), out of how many. Carried in the snapshot (version 3 on) as counts, like
 * {@link EpochLoss}, so a resumed trainer goes on counting exactly where an uninterrupted one was.
 *
 * @param correct samples classified correctly, {@code >= 0}
 * @param samples samples counted, {@code >= 0}; {@code -1} when unknown (a snapshot older than version 3)
 */
public record EpochAccuracy(long correct, long samples) {

    /** Nothing trained yet in the epoch. */
    public static final EpochAccuracy NONE = new EpochAccuracy(0, 0);

    /** Not known, e.g. for a snapshot written before snapshots carried it. */
    public static final EpochAccuracy UNKNOWN = new EpochAccuracy(0, -1);

    public EpochAccuracy {
        if (samples < -1 || correct < 0 || (samples >= 0 && correct > samples) || (samples == -1 && correct != 0)) {
            throw new IllegalArgumentException("train accuracy must count 0 <= correct <= samples (or be unknown: "
                    + "0 of -1), got " + correct + " of " + samples);
        }
    }

    public boolean known() {
        return samples >= 0;
    }

    /** Fraction correct of the epoch so far; NaN if unknown or nothing counted. */
    public double mean() {
        return samples <= 0 ? Double.NaN : (double) correct / samples;
    }

    /** This epoch's accuracy after one more batch; unknown stays unknown. */
    public EpochAccuracy plus(int batchCorrect, int batchSamples) {
        return known() ? new EpochAccuracy(correct + batchCorrect, samples + batchSamples) : this;
    }
}
