package dev.streamtrain.trainer;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.MinibatchTensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One iteration of the tutorial's loop on one minibatch: forward, loss, backward, optimizer step.
 * Kept apart from the streaming around it so that a faster step can replace it alone.
 */
public final class TrainingStep {

    private final MultiLayerNetwork network;

    public TrainingStep(MultiLayerNetwork network) {
        this.network = network;
    }

    /** Trains on {@code batch}; returns its mean loss before the update. */
    public double apply(Minibatch batch) {
        network.fit(MinibatchTensors.toDataSet(batch));
        return network.score();
    }

    public MultiLayerNetwork network() {
        return network;
    }
}
