package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Predictions;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import dev.streamtrain.model.loss.OutputActivation;

import java.nio.FloatBuffer;

/**
 * The network's end: from the logits [n, classes], the batch's mean loss, the training hits, and
 * the gradient of the mean loss with respect to the logits (which already carries the 1/n of the
 * mean, so every parameter gradient backpropagated from it is the batch mean). Computed in double
 * from the float32 logits, one row at a time.
 * <ul>
 *   <li>cross-entropy: softmax and loss fused, {@code dz = (softmax(z) - one_hot) / n}, the loss
 *       {@code -ln max(p, 1e-10)} as {@link CrossEntropyLoss} clips it;</li>
 *   <li>nll: log-softmax and loss fused, the same dz, the loss {@code -log_softmax(z)[label]};</li>
 *   <li>mse: {@code dz = 2 (z - one_hot) / (n · classes)};</li>
 *   <li>any other loss: its {@link Loss#value} and {@link Loss#gradient} on the outputs of its
 *       {@link OutputActivation}, and that gradient back through the activation.</li>
 * </ul>
 */
final class LossHead {

    private enum Kind { CROSS_ENTROPY, NLL, MSE, OTHER }

    private static final double LOG_MIN_PROBABILITY = Math.log(CrossEntropyLoss.MIN_PROBABILITY);

    private final Loss loss;
    private final Kind kind;
    private final int classes;
    private final double[] row;
    /** The logits and their gradient on the heap, [n, classes] for the largest n so far. */
    private float[] z = new float[0];
    private float[] dz = new float[0];
    /** A user loss's outputs and their gradient: exactly [n, classes], as the loss sees them; remade when n changes. */
    private double[] outputs = new double[0];
    private double[] gradient = new double[0];
    private int correct = -1;

    LossHead(Loss loss, int classes) {
        this.loss = loss;
        this.classes = classes;
        this.row = new double[classes];
        if (loss instanceof CrossEntropyLoss) {
            kind = Kind.CROSS_ENTROPY;
        } else if (loss instanceof NllLoss) {
            kind = Kind.NLL;
        } else if (loss instanceof MseLoss) {
            kind = Kind.MSE;
        } else {
            kind = Kind.OTHER;
        }
    }

    /** Training hits of the last {@link #lossAndGradient}: argmax of the logits (first maximum) equal to the label. */
    int correct() {
        return correct;
    }

    /** The batch's mean loss; its gradient with respect to the logits goes to {@code logitGradient}. */
    double lossAndGradient(FloatBuffer logits, FloatBuffer logitGradient, int[] labels, int n) {
        read(logits, n);
        countCorrect(labels, n);
        double value = switch (kind) {
            case CROSS_ENTROPY, NLL -> softmaxLoss(labels, n);
            case MSE -> mse(labels, n);
            case OTHER -> other(labels, n);
        };
        logitGradient.put(0, dz, 0, n * classes);
        return value;
    }

    private void read(FloatBuffer logits, int n) {
        if (z.length < n * classes) {
            z = new float[n * classes];
            dz = new float[n * classes];
        }
        logits.get(0, z, 0, n * classes);
    }

    /** Eval-mode outputs: the logits after the loss's output activation, [n, classes] row-major. */
    float[] outputs(FloatBuffer logits, int n) {
        read(logits, n);
        float[] out = new float[n * classes];
        OutputActivation activation = loss.output();
        for (int i = 0; i < n; i++) {
            double logSum = activation == OutputActivation.IDENTITY ? 0 : readRowLogSumExp(i);
            for (int c = 0; c < classes; c++) {
                out[i * classes + c] = (float) output(activation, z[i * classes + c], logSum);
            }
        }
        return out;
    }

    private double softmaxLoss(int[] labels, int n) {
        double invN = 1.0 / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double logSum = readRowLogSumExp(i);
            double logP = row[labels[i]] - logSum;
            sum -= kind == Kind.CROSS_ENTROPY ? Math.max(logP, LOG_MIN_PROBABILITY) : logP;
            for (int c = 0; c < classes; c++) {
                double p = StrictMath.exp(row[c] - logSum);
                dz[i * classes + c] = (float) ((c == labels[i] ? p - 1 : p) * invN);
            }
        }
        return sum / n;
    }

    private double mse(int[] labels, int n) {
        double scale = 2.0 / ((double) n * classes);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                double d = z[i * classes + c] - (c == labels[i] ? 1 : 0);
                sum += d * d;
                dz[i * classes + c] = (float) (scale * d);
            }
        }
        return sum / ((double) n * classes);
    }

    private double other(int[] labels, int n) {
        if (outputs.length != n * classes) {
            outputs = new double[n * classes];
            gradient = new double[n * classes];
        }
        OutputActivation activation = loss.output();
        for (int i = 0; i < n; i++) {
            double logSum = activation == OutputActivation.IDENTITY ? 0 : readRowLogSumExp(i);
            for (int c = 0; c < classes; c++) {
                outputs[i * classes + c] = output(activation, z[i * classes + c], logSum);
            }
        }
        double value = loss.value(outputs, labels, classes);
        loss.gradient(outputs, labels, classes, gradient);
        for (int i = 0; i < n; i++) {
            int start = i * classes;
            // through the output activation: softmax dz = p (g - Σ p g); log-softmax dz = g - softmax Σ g
            double weighted = 0;
            double total = 0;
            for (int c = 0; c < classes; c++) {
                weighted += outputs[start + c] * gradient[start + c];
                total += gradient[start + c];
            }
            for (int c = 0; c < classes; c++) {
                double g = gradient[start + c];
                double gradientOfLogit = switch (activation) {
                    case IDENTITY -> g;
                    case SOFTMAX -> outputs[start + c] * (g - weighted);
                    case LOG_SOFTMAX -> g - StrictMath.exp(outputs[start + c]) * total;
                };
                dz[start + c] = (float) gradientOfLogit;
            }
        }
        return value;
    }

    private static double output(OutputActivation activation, double logit, double logSum) {
        return switch (activation) {
            case IDENTITY -> logit;
            case SOFTMAX -> StrictMath.exp(logit - logSum);
            case LOG_SOFTMAX -> logit - logSum;
        };
    }

    /** Row {@code i} of the logits into {@link #row}; returns its log-sum-exp. */
    private double readRowLogSumExp(int i) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            row[c] = z[i * classes + c];
            max = Math.max(max, row[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += StrictMath.exp(row[c] - max);
        }
        return max + StrictMath.log(sum);
    }

    private void countCorrect(int[] labels, int n) {
        int hits = 0;
        for (int i = 0; i < n; i++) {
            hits += Predictions.argmax(z, i * classes, classes) == labels[i] ? 1 : 0;
        }
        correct = hits;
    }
}
