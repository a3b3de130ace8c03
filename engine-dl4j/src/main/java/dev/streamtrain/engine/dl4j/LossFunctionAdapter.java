package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.loss.Loss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A model-API {@link Loss} (built-in {@code nll}, or a user's) as DL4J's output layer needs it.
 * DL4J's convention differs from the model API's: its score is the batch's sum unless averaged,
 * and its gradient is per sample (the updater divides by the batch size later), so the mean-loss
 * gradient the {@link Loss} gives is multiplied by the batch size here. Masks are not supported
 * (streamtrain has none). Computed in double precision; outputs are [batch, classes], small.
 */
final class LossFunctionAdapter implements ILossFunction {

    private final Loss loss;

    LossFunctionAdapter(Loss loss) {
        this.loss = loss;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        Batch batch = new Batch(labels, preOutput, activationFn);
        double mean = loss.value(batch.outputs, batch.labels, batch.classes);
        return average ? mean : mean * batch.labels.length;
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch batch = new Batch(labels, preOutput, activationFn);
        int n = batch.labels.length;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double[] row = java.util.Arrays.copyOfRange(batch.outputs, i * batch.classes, (i + 1) * batch.classes);
            scores[i] = loss.value(row, new int[] {batch.labels[i]}, batch.classes);
        }
        return Nd4j.create(scores, new long[] {n, 1}, 'c').castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Batch batch = new Batch(labels, preOutput, activationFn);
        double[] gradient = new double[batch.outputs.length];
        loss.gradient(batch.outputs, batch.labels, batch.classes, gradient);
        int n = batch.labels.length;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= n;
        }
        INDArray dLdOutput = Nd4j.create(gradient, preOutput.shape(), 'c').castTo(preOutput.dataType());
        return activationFn.backprop(preOutput.dup(), dLdOutput).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return loss.name();
    }

    @Override
    public String toString() {
        return "LossFunctionAdapter(" + loss.name() + ")";
    }

    /** The outputs (after the activation) and labels (from one-hot) of a batch, in Java arrays. */
    private static final class Batch {
        final double[] outputs;
        final int[] labels;
        final int classes;

        Batch(INDArray oneHot, INDArray preOutput, IActivation activationFn) {
            classes = (int) preOutput.size(1);
            outputs = activationFn.getActivation(preOutput.dup(), true).dup('c').data().asDouble();
            double[] y = oneHot.dup('c').data().asDouble();
            labels = new int[(int) preOutput.size(0)];
            for (int i = 0; i < labels.length; i++) {
                for (int c = 0; c < classes; c++) {
                    if (y[i * classes + c] > 0.5) {
                        labels[i] = c;
                    }
                }
            }
        }
    }
}
