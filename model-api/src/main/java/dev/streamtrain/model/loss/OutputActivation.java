package dev.streamtrain.model.loss;

/**
 * What the last layer of a network does to its logits, as its loss requires: nothing
 * ({@code IDENTITY}), {@code softmax} (probabilities, for cross-entropy) or {@code log_softmax}
 * (log-probabilities, for NLL).
 */
public enum OutputActivation {
    IDENTITY,
    SOFTMAX,
    LOG_SOFTMAX;

    /** Applies this activation to {@code logits} ([n, classes] row-major), in double precision. */
    public double[] apply(double[] logits, int classes) {
        double[] out = logits.clone();
        if (this == IDENTITY) {
            return out;
        }
        for (int row = 0; row < logits.length; row += classes) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[row + c] - max);
            }
            double logSum = max + Math.log(sum);
            for (int c = 0; c < classes; c++) {
                out[row + c] = this == SOFTMAX ? Math.exp(logits[row + c] - logSum) : logits[row + c] - logSum;
            }
        }
        return out;
    }
}
