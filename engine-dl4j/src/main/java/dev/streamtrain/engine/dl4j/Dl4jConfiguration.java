package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.layer.BatchNorm;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Dropout;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Layer;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.ParameterTensor;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Sigmoid;
import dev.streamtrain.model.layer.Tanh;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.MseLoss;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@link Architecture} and its loss as a DL4J {@link MultiLayerConfiguration}, and where each of
 * its parameter tensors lives in the DL4J network. Layer by layer:
 * <ul>
 *   <li>Linear → {@code DenseLayer}, the last one → {@code OutputLayer} with the loss's activation
 *       and loss function; Conv2d → {@code ConvolutionLayer} (truncate mode); an activation right
 *       after either is fused into it, as the tutorial's network always was;</li>
 *   <li>MaxPool2d → {@code SubsamplingLayer}; BatchNorm → {@code BatchNormalization} (variance
 *       stored as such, decay = 1 - momentum); Dropout(p) → {@code DropoutLayer} retaining 1 - p;
 *       any other activation → {@code ActivationLayer};</li>
 *   <li>Flatten → nothing: DL4J inserts its CNN-to-dense preprocessor, which flattens NCHW in C
 *       order as torch does.</li>
 * </ul>
 * Cross-entropy uses DL4J's own softmax + MCXENT and MSE its {@code LossMSE}; every other loss
 * goes through {@link LossFunctionAdapter}. No DL4J updater is used: the engine applies the
 * model API's optimizers itself ({@link Dl4jFit}, DL4J's own training loop for comparison, gives one).
 */
final class Dl4jConfiguration {

    /** Where a parameter tensor of the architecture is in the DL4J network: layer index and parameter key. */
    record Placement(ParameterTensor tensor, int layer, String key) {

        String dl4jName() {
            return layer + "_" + key;
        }
    }

    private final List<org.deeplearning4j.nn.conf.layers.Layer> layers = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();
    private final MultiLayerConfiguration configuration;

    Dl4jConfiguration(Architecture architecture, Loss loss, DataType dataType) {
        // Never used: the engine steps the model API's optimizers itself.
        this(architecture, loss, dataType, new NoOp());
    }

    /** The configuration with DL4J's own {@code updater}, for {@code MultiLayerNetwork.fit}. */
    Dl4jConfiguration(Architecture architecture, Loss loss, DataType dataType, IUpdater updater) {
        List<Layer> specs = architecture.layers();
        int parameterised = 0;
        for (int i = 0; i < specs.size(); i++) {
            Layer layer = specs.get(i);
            Layer next = i + 1 < specs.size() ? specs.get(i + 1) : null;
            Activation fused = next == null ? null : activation(next);
            List<ParameterTensor> tensors = layer.parameters(parameterised + "_");
            if (layer instanceof Flatten) {
                continue;
            }
            if (layer instanceof Linear linear && i == specs.size() - 1) {
                add(new OutputLayer.Builder(lossFunction(loss)).nIn(linear.inFeatures()).nOut(linear.outFeatures())
                        .activation(outputActivation(loss)).build(), tensors, "W", "b");
            } else if (layer instanceof Linear linear) {
                add(new DenseLayer.Builder().nIn(linear.inFeatures()).nOut(linear.outFeatures())
                        .activation(fused != null ? fused : Activation.IDENTITY).build(), tensors, "W", "b");
                i += fused != null ? 1 : 0;
            } else if (layer instanceof Conv2d conv) {
                add(new ConvolutionLayer.Builder(conv.kernelSize(), conv.kernelSize())
                        .stride(conv.stride(), conv.stride()).padding(conv.padding(), conv.padding())
                        .convolutionMode(ConvolutionMode.Truncate).nIn(conv.inChannels()).nOut(conv.outChannels())
                        .activation(fused != null ? fused : Activation.IDENTITY).build(), tensors, "W", "b");
                i += fused != null ? 1 : 0;
            } else if (layer instanceof MaxPool2d pool) {
                add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(pool.kernelSize(), pool.kernelSize()).stride(pool.stride(), pool.stride())
                        .convolutionMode(ConvolutionMode.Truncate).build(), tensors);
            } else if (layer instanceof BatchNorm norm) {
                add(new BatchNormalization.Builder().nOut(norm.numFeatures()).eps(norm.eps())
                        .decay(1 - norm.momentum()).useLogStd(false).build(), tensors, "gamma", "beta", "mean", "var");
            } else if (layer instanceof Dropout dropout) {
                add(new DropoutLayer.Builder(1 - dropout.p()).build(), tensors);
            } else {
                add(new ActivationLayer.Builder().activation(activation(layer)).build(), tensors);
            }
            parameterised += tensors.isEmpty() ? 0 : 1;
        }
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .dataType(dataType)
                .updater(updater)
                // Overwritten with PyTorch's initialisation; ZERO draws nothing from ND4J's generator.
                .weightInit(WeightInit.ZERO)
                .list();
        for (org.deeplearning4j.nn.conf.layers.Layer layer : layers) {
            list.layer(layer);
        }
        boolean startsWithImage = architecture.inputShape().isImage() && !(specs.get(0) instanceof Flatten);
        if (startsWithImage) {
            int[] dims = architecture.inputShape().dims();
            // Batches arrive flat, [n, C*H*W] row-major: DL4J reshapes them to NCHW itself.
            list.setInputType(InputType.convolutionalFlat(dims[1], dims[2], dims[0]));
        }
        this.configuration = list.build();
    }

    MultiLayerConfiguration configuration() {
        return configuration;
    }

    /** Every parameter tensor of the architecture, in layout order, with its place in the DL4J network. */
    List<Placement> placements() {
        return placements;
    }

    private void add(org.deeplearning4j.nn.conf.layers.Layer layer, List<ParameterTensor> tensors, String... keys) {
        if (tensors.size() != keys.length) {
            throw new IllegalStateException(layer + " maps " + keys.length + " parameters, the layer has " + tensors);
        }
        for (int k = 0; k < keys.length; k++) {
            placements.add(new Placement(tensors.get(k), layers.size(), keys[k]));
        }
        layers.add(layer);
    }

    private static Activation activation(Layer layer) {
        if (layer instanceof ReLU) {
            return Activation.RELU;
        }
        if (layer instanceof Tanh) {
            return Activation.TANH;
        }
        if (layer instanceof Sigmoid) {
            return Activation.SIGMOID;
        }
        return null;
    }

    private static IActivation outputActivation(Loss loss) {
        return switch (loss.output()) {
            case IDENTITY -> Activation.IDENTITY.getActivationFunction();
            case SOFTMAX -> Activation.SOFTMAX.getActivationFunction();
            case LOG_SOFTMAX -> new ActivationLogSoftmax();
        };
    }

    private static ILossFunction lossFunction(Loss loss) {
        return switch (loss.name()) {
            case CrossEntropyLoss.NAME -> new LossMCXENT();
            case MseLoss.NAME -> new LossMSE();
            default -> new LossFunctionAdapter(loss);
        };
    }
}
