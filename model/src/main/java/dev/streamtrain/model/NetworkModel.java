package dev.streamtrain.model;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.wire.TensorLayout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.List;

/**
 * A network architecture streamtrain can train: how to build it and how its parameters are laid
 * out in a snapshot. New architectures (the MNIST convnet, CIFAR-10 nets) implement this and are
 * registered in {@link NetworkModels}.
 */
public interface NetworkModel {

    /** The name used in run specs and on the command line, e.g. {@code tutorial-mlp}. */
    String name();

    /** Shape of one input sample this network takes, e.g. [1, 28, 28]. */
    int[] inputShape();

    int numClasses();

    /**
     * A new network with freshly initialised parameters (deterministic for a seed) and the given
     * optimizer.
     */
    MultiLayerNetwork create(OptimizerSpec optimizer, long seed);

    /** The parameter tensors, in snapshot order; names are DL4J's parameter keys. */
    List<TensorLayout> layout();
}
