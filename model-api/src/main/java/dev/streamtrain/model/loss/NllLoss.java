package dev.streamtrain.model.loss;

/**
 * {@code nll}: torch's {@code nn.NLLLoss()} on log-probabilities, the network ending in
 * {@code nn.LogSoftmax(dim=1)}. The loss of a sample is {@code -log_p[label]}; the gradient with
 * respect to the log-probabilities is {@code -1/n} at the label, 0 elsewhere. Mathematically the
 * same training as cross-entropy on the logits.
 */
public final class NllLoss implements Loss {

    public static final String NAME = "nll";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OutputActivation output() {
        return OutputActivation.LOG_SOFTMAX;
    }

    @Override
    public double value(double[] logProbabilities, int[] labels, int classes) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= logProbabilities[i * classes + labels[i]];
        }
        return sum / labels.length;
    }

    @Override
    public void gradient(double[] logProbabilities, int[] labels, int classes, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        for (int i = 0; i < labels.length; i++) {
            gradient[i * classes + labels[i]] = -1.0 / labels.length;
        }
    }
}
