package dev.streamtrain.model.loss;

/**
 * {@code mse}: torch's {@code nn.MSELoss()} between the logits and one-hot targets
 * ({@code F.one_hot(y, classes).float()}), averaged over all {@code n * classes} values; the
 * network's last layer emits the logits unchanged. Gradient: {@code 2 (x - one_hot) / (n * classes)}.
 */
public final class MseLoss implements Loss {

    public static final String NAME = "mse";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OutputActivation output() {
        return OutputActivation.IDENTITY;
    }

    @Override
    public double value(double[] outputs, int[] labels, int classes) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < classes; c++) {
                double d = outputs[i * classes + c] - (c == labels[i] ? 1 : 0);
                sum += d * d;
            }
        }
        return sum / ((double) labels.length * classes);
    }

    @Override
    public void gradient(double[] outputs, int[] labels, int classes, double[] gradient) {
        double scale = 2.0 / ((double) labels.length * classes);
        for (int i = 0; i < labels.length; i++) {
            for (int c = 0; c < classes; c++) {
                gradient[i * classes + c] = scale * (outputs[i * classes + c] - (c == labels[i] ? 1 : 0));
            }
        }
    }
}
