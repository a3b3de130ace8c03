package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Predictions;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Wraps the output layer's loss function to count, from the training-mode pre-activations DL4J
 * hands it during backpropagation, how many samples the network classified correctly: argmax of
 * the pre-activations (the first maximum; every output activation is monotonic, so it is the argmax
 * of the outputs) against the one-hot label. No extra forward pass; the loss is the wrapped one's,
 * bit for bit.
 */
final class CorrectCounter implements ILossFunction {

    private final ILossFunction loss;
    private int correct = -1;

    CorrectCounter(ILossFunction loss) {
        this.loss = loss;
    }

    /** The loss function this one counts for. */
    ILossFunction wrapped() {
        return loss;
    }

    /** Correct predictions of the last gradient computed; -1 before the first. */
    int correct() {
        return correct;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return loss.computeScore(labels, preOutput, activationFn, mask, average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return loss.computeScoreArray(labels, preOutput, activationFn, mask);
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        count(labels, preOutput);
        return loss.computeGradient(labels, preOutput, activationFn, mask);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        count(labels, preOutput);
        return loss.computeGradientAndScore(labels, preOutput, activationFn, mask, average);
    }

    private void count(INDArray labels, INDArray preOutput) {
        int rows = (int) preOutput.size(0);
        int classes = (int) preOutput.size(1);
        float[] z = preOutput.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] y = labels.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int hits = 0;
        for (int i = 0; i < rows; i++) {
            // The label is the one-hot row's argmax.
            if (Predictions.argmax(z, i * classes, classes) == Predictions.argmax(y, i * classes, classes)) {
                hits++;
            }
        }
        correct = hits;
    }

    @Override
    public String name() {
        return loss.name();
    }

    @Override
    public String toString() {
        return loss.toString();
    }
}
