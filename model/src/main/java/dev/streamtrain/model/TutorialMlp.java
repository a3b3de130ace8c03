package dev.streamtrain.model;

import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.wire.TensorLayout;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.List;

/**
 * The tutorial's {@code NeuralNetwork}: Flatten, Linear(784, 512), ReLU, Linear(512, 512), ReLU,
 * Linear(512, 10), trained with cross-entropy on the logits (DL4J: softmax output + MCXENT, whose
 * gradient is the same softmax - one-hot). Parameters start as PyTorch's {@code nn.Linear} does.
 */
public final class TutorialMlp implements NetworkModel {

    public static final String NAME = "tutorial-mlp";
    private static final int IN = 28 * 28;
    private static final int HIDDEN = 512;
    private static final int CLASSES = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int[] inputShape() {
        return new int[] {1, 28, 28};
    }

    @Override
    public int numClasses() {
        return CLASSES;
    }

    @Override
    public List<TensorLayout> layout() {
        return List.of(
                new TensorLayout("0_W", new int[] {IN, HIDDEN}),
                new TensorLayout("0_b", new int[] {HIDDEN}),
                new TensorLayout("1_W", new int[] {HIDDEN, HIDDEN}),
                new TensorLayout("1_b", new int[] {HIDDEN}),
                new TensorLayout("2_W", new int[] {HIDDEN, CLASSES}),
                new TensorLayout("2_b", new int[] {CLASSES}));
    }

    @Override
    public MultiLayerNetwork create(OptimizerSpec optimizer, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                // float32, like torch's default dtype.
                .dataType(DataType.FLOAT)
                .updater(Optimizers.updater(optimizer))
                // Overwritten by TorchLinearInit below; ZERO avoids drawing from ND4J's RNG for nothing.
                .weightInit(WeightInit.ZERO)
                .list()
                .layer(new DenseLayer.Builder().nIn(IN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(HIDDEN).nOut(HIDDEN).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(HIDDEN).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        ParameterLayout.write(network, layout(), TorchLinearInit.parameters(layout(), seed));
        return network;
    }
}
