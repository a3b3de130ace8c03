package dev.streamtrain.evaluator;

/**
 * Outcome of one test loop: the fraction classified correctly, and the mean over batches of the
 * batch-mean cross-entropy (the tutorial's {@code test_loss /= num_batches}).
 */
public record TestResult(double accuracy, double avgLoss, int samples) {
}
