package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.loss.OutputActivation;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code log_softmax} over each row, which DL4J lacks: the output activation of networks trained
 * with {@code nll} (torch's {@code nn.LogSoftmax(dim=1)}). Computed in double precision on the
 * Java side; its input is [batch, classes], small. Backprop: {@code dL/dz = dL/dy - softmax(z) * sum(dL/dy)}.
 */
final class ActivationLogSoftmax extends BaseActivationFunction {

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        int classes = (int) in.size(1);
        double[] y = OutputActivation.LOG_SOFTMAX.apply(in.dup('c').data().asDouble(), classes);
        in.assign(Nd4j.create(y, in.shape(), 'c').castTo(in.dataType()));
        return in;
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        assertShape(in, epsilon);
        int classes = (int) in.size(1);
        double[] p = OutputActivation.SOFTMAX.apply(in.dup('c').data().asDouble(), classes);
        double[] e = epsilon.dup('c').data().asDouble();
        double[] dz = new double[e.length];
        for (int row = 0; row < e.length; row += classes) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += e[row + c];
            }
            for (int c = 0; c < classes; c++) {
                dz[row + c] = e[row + c] - p[row + c] * sum;
            }
        }
        in.assign(Nd4j.create(dz, in.shape(), 'c').castTo(in.dataType()));
        return new Pair<>(in, null);
    }

    @Override
    public String toString() {
        return "logsoftmax";
    }
}
