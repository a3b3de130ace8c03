package dev.streamtrain.model.loss;

/**
 * {@code cross-entropy}, the default: torch's {@code nn.CrossEntropyLoss()} on the logits. The
 * network's last layer applies softmax, and the loss of a sample is {@code -ln p[label]}, with
 * {@code p} clipped below at 1e-10 as DL4J clips it (so at most ~23.03 nats). Its gradient with
 * respect to the logits is {@code (softmax - one_hot) / n}.
 */
public final class CrossEntropyLoss implements Loss {

    public static final String NAME = "cross-entropy";
    /** Probabilities are clipped here before the log. */
    public static final double MIN_PROBABILITY = 1e-10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OutputActivation output() {
        return OutputActivation.SOFTMAX;
    }

    @Override
    public double value(double[] probabilities, int[] labels, int classes) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            sum -= Math.log(Math.max(probabilities[i * classes + labels[i]], MIN_PROBABILITY));
        }
        return sum / labels.length;
    }

    @Override
    public void gradient(double[] probabilities, int[] labels, int classes, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        for (int i = 0; i < labels.length; i++) {
            double p = probabilities[i * classes + labels[i]];
            gradient[i * classes + labels[i]] = p > MIN_PROBABILITY ? -1 / (p * labels.length) : 0;
        }
    }
}
