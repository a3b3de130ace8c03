package dev.streamtrain.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimizer's state (momentum, Adam's moments, ...) of a network as one flat array, so that a
 * snapshot can restore training exactly. Plain SGD has none: an empty array.
 */
public final class UpdaterState {

    private UpdaterState() {
    }

    public static float[] read(MultiLayerNetwork network) {
        INDArray state = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
        return state == null || state.isEmpty() ? new float[0] : state.dup('c').data().asFloat();
    }

    /** Restores the optimizer state and the iteration count (which e.g. Adam's bias correction uses). */
    public static void write(MultiLayerNetwork network, float[] values, long iterations) {
        INDArray state = network.getUpdater() == null ? null : network.getUpdater().getStateViewArray();
        long expected = state == null ? 0 : state.length();
        if (values.length != expected) {
            throw new IllegalArgumentException("snapshot holds " + values.length + " optimizer state values, the "
                    + "network's optimizer has " + expected + "; was it trained with another optimizer?");
        }
        if (expected > 0) {
            state.assign(Nd4j.create(values, state.shape(), 'c'));
        }
        network.setIterationCount(Math.toIntExact(iterations));
    }
}
