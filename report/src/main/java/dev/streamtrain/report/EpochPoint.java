package dev.streamtrain.report;

/**
 * One epoch of a learning curve: the tutorial's per-epoch numbers, plus the train accuracy and the
 * validation loop's figures where the run has them.
 *
 * @param epoch              1-based epoch
 * @param samplesSeen        samples trained on by the end of the epoch
 * @param trainLoss          mean batch loss over the epoch's training batches; NaN if the snapshot did not carry it
 * @param testLoss           the test loop's average loss ({@code Avg loss})
 * @param accuracy           the test loop's accuracy, in [0, 1]
 * @param trainAccuracy      fraction of the epoch's training samples classified correctly in their forward pass;
 *                           NaN if unknown (snapshots before version 3)
 * @param validationLoss     the validation loop's average loss; NaN when the run has no validation split
 * @param validationAccuracy the validation loop's accuracy, in [0, 1]; NaN when the run has no validation split
 */
public record EpochPoint(int epoch, long samplesSeen, double trainLoss, double testLoss, double accuracy,
                         double trainAccuracy, double validationLoss, double validationAccuracy) {

    /** An epoch as metrics records before train accuracy and validation read: only the tutorial's numbers. */
    public EpochPoint(int epoch, long samplesSeen, double trainLoss, double testLoss, double accuracy) {
        this(epoch, samplesSeen, trainLoss, testLoss, accuracy, Double.NaN, Double.NaN, Double.NaN);
    }

    /** True if the epoch's snapshot was also evaluated on a validation split. */
    public boolean hasValidation() {
        return !Double.isNaN(validationLoss) || !Double.isNaN(validationAccuracy);
    }
}
