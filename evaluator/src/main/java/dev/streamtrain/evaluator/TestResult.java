package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.EvaluationResult;

/**
 * Outcome of one test loop: the fraction classified correctly, the mean over batches of the
 * batch-mean loss (the tutorial's {@code test_loss /= num_batches}), and the confusion matrix
 * ({@code confusion[actual][predicted]}).
 */
public record TestResult(double accuracy, double avgLoss, int samples, int batches, long[][] confusion) {

    /** This result as the metrics record carries it, naming the set it was computed on. */
    public EvaluationResult of(EvaluationSet set) {
        return new EvaluationResult(set.split().label(), set.topic(), set.key(), set.batchSize(), batches, samples,
                accuracy, avgLoss, confusion);
    }
}
