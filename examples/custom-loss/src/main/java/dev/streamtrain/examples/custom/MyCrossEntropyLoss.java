package dev.streamtrain.examples.custom;

import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.OutputActivation;

/**
 * The tutorial family's hand-written cross-entropy as a streamtrain loss, {@code my-cross-entropy}:
 * <pre>
 * def myCrossEntropyLoss(outputs, labels):
 *     batch_size = outputs.size()[0]
 *     outputs = F.log_softmax(outputs, dim=1)
 *     outputs = outputs[range(batch_size), labels]
 *     return -torch.sum(outputs) / batch_size
 * </pre>
 * It takes the logits ({@link OutputActivation#IDENTITY}: the network's last Linear layer as is),
 * computes the log-softmax itself, and gives the gradient autograd would: {@code (softmax - one_hot) / n}.
 * Registered in {@code META-INF/services/dev.streamtrain.model.loss.Loss}.
 */
public final class MyCrossEntropyLoss implements Loss {

    public static final String NAME = "my-cross-entropy";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public OutputActivation output() {
        return OutputActivation.IDENTITY;
    }

    @Override
    public double value(double[] logits, int[] labels, int classes) {
        int batchSize = labels.length;
        double sum = 0;
        for (int i = 0; i < batchSize; i++) {
            sum += logSoftmax(logits, i, classes)[labels[i]];
        }
        return -sum / batchSize;
    }

    @Override
    public void gradient(double[] logits, int[] labels, int classes, double[] gradient) {
        int batchSize = labels.length;
        for (int i = 0; i < batchSize; i++) {
            double[] logP = logSoftmax(logits, i, classes);
            for (int c = 0; c < classes; c++) {
                gradient[i * classes + c] = (Math.exp(logP[c]) - (c == labels[i] ? 1 : 0)) / batchSize;
            }
        }
    }

    /** {@code F.log_softmax} of row {@code row}: {@code z - max - log(sum(exp(z - max)))}. */
    private static double[] logSoftmax(double[] logits, int row, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[row * classes + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[row * classes + c] - max);
        }
        double log = Math.log(sum);
        double[] out = new double[classes];
        for (int c = 0; c < classes; c++) {
            out[c] = logits[row * classes + c] - max - log;
        }
        return out;
    }
}
