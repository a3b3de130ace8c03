package dev.streamtrain.model;

import dev.streamtrain.contracts.wire.Minibatch;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * Turns a minibatch's uint8 pixels into the network's input, scaled to [0, 1] like
 * {@code ToTensor()}, flattened to [N, C*H*W] like {@code nn.Flatten()}, with one-hot labels.
 */
public final class MinibatchTensors {

    private MinibatchTensors() {
    }

    /** Checks that {@code batch} fits {@code model}; the message names what differs. */
    public static void requireCompatible(NetworkModel model, Minibatch batch) {
        if (!Arrays.equals(model.inputShape(), batch.sampleShape())) {
            throw new IllegalArgumentException("model " + model.name() + " takes samples of shape "
                    + Arrays.toString(model.inputShape()) + " but " + batch + " holds "
                    + Arrays.toString(batch.sampleShape()));
        }
        if (model.numClasses() != batch.numClasses()) {
            throw new IllegalArgumentException("model " + model.name() + " predicts " + model.numClasses()
                    + " classes but " + batch + " has " + batch.numClasses());
        }
    }

    public static DataSet toDataSet(Minibatch batch) {
        return new DataSet(features(batch), oneHotLabels(batch));
    }

    public static INDArray features(Minibatch batch) {
        int n = batch.sampleCount();
        int size = batch.sampleSize();
        byte[] pixels = batch.pixels();
        float[] values = new float[pixels.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (pixels[i] & 0xFF) / 255f;
        }
        return Nd4j.create(values, new long[] {n, size}, 'c');
    }

    public static INDArray oneHotLabels(Minibatch batch) {
        int n = batch.sampleCount();
        int classes = batch.numClasses();
        float[] values = new float[n * classes];
        for (int i = 0; i < n; i++) {
            values[i * classes + batch.label(i)] = 1f;
        }
        return Nd4j.create(values, new long[] {n, classes}, 'c');
    }
}
