package dev.streamtrain.report;

/**
 * One epoch of a learning curve: the tutorial's per-epoch numbers.
 *
 * @param epoch       1-based epoch
 * @param samplesSeen samples trained on by the end of the epoch
 * @param trainLoss   mean batch loss over the epoch's training batches; NaN if the snapshot did not carry it
 * @param testLoss    the test loop's average loss ({@code Avg loss})
 * @param accuracy    the test loop's accuracy, in [0, 1]
 */
public record EpochPoint(int epoch, long samplesSeen, double trainLoss, double testLoss, double accuracy) {
}
