package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.layer.BatchNorm;
import dev.streamtrain.model.layer.Conv2d;
import dev.streamtrain.model.layer.Dropout;
import dev.streamtrain.model.layer.Flatten;
import dev.streamtrain.model.layer.Linear;
import dev.streamtrain.model.layer.MaxPool2d;
import dev.streamtrain.model.layer.ReLU;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.layer.Sigmoid;
import dev.streamtrain.model.layer.Tanh;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backpropagation of every layer type and every loss the engine builds, checked against central
 * finite differences of the loss in double precision (DL4J's {@link GradientCheckUtil}): Linear,
 * Conv2d (with padding and stride), MaxPool2d, Flatten, BatchNorm on features and on channels,
 * Dropout (the generator reseeded for every evaluation), ReLU, Tanh, Sigmoid; cross-entropy,
 * NLL through the engine's log-softmax, MSE. Batch-norm running statistics are left out: the
 * layer updates them, no gradient does.
 */
class GradientCheckTest {

    private static DataType defaultType;

    @BeforeAll
    static void doublePrecision() {
        defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MathThreads.apply(1);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(defaultType, defaultType);
    }

    static Stream<Arguments> networks() {
        Shape image = Shape.of(2, 6, 6);
        return Stream.of(
                Arguments.of("dense, batch norm, tanh, sigmoid; cross-entropy", new Architecture(Shape.of(1, 3, 3), 4,
                        List.of(new Flatten(), new Linear(9, 6), new BatchNorm(6), new Tanh(), new Linear(6, 5),
                                new Sigmoid(), new Linear(5, 4))), new CrossEntropyLoss()),
                Arguments.of("conv (padding, stride), max pool, relu; nll", new Architecture(image, 3,
                        List.of(new Conv2d(2, 3, 3, 1, 1), new ReLU(), new MaxPool2d(2, 2), new Conv2d(3, 2, 2, 1, 0),
                                new Flatten(), new Linear(8, 3))), new NllLoss()),
                Arguments.of("batch norm on channels; mse", new Architecture(image, 3,
                        List.of(new Conv2d(2, 2, 3, 2, 0), new BatchNorm(2), new ReLU(), new Flatten(),
                                new Linear(8, 3))), new MseLoss()),
                Arguments.of("dropout; cross-entropy", new Architecture(Shape.of(1, 2, 4), 3,
                        List.of(new Flatten(), new Linear(8, 6), new ReLU(), new Dropout(0.3), new Linear(6, 3))),
                        new CrossEntropyLoss()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void backpropagationMatchesFiniteDifferences(String name, Architecture architecture, Loss loss) {
        Dl4jNetwork network = new Dl4jEngine().create(architecture, loss, DataType.DOUBLE);
        network.setParameters(TorchInit.parameters(architecture.parameters(), 3));
        int n = 5;
        SplittableRandom random = new SplittableRandom(11);
        double[] features = new double[n * architecture.inputShape().size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = random.nextDouble();
        }
        double[] labels = new double[n * architecture.classes()];
        for (int i = 0; i < n; i++) {
            labels[i * architecture.classes() + random.nextInt(architecture.classes())] = 1;
        }
        MultiLayerNetwork dl4j = network.dl4j();
        INDArray input = Nd4j.create(features, new long[] {n, architecture.inputShape().size()}, 'c');
        INDArray output = Nd4j.create(labels, new long[] {n, architecture.classes()}, 'c');

        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(dl4j).input(input)
                .labels(output).epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                // running statistics are not gradients: the layer moves them itself
                .excludeParams(network.bufferNames())
                .callEachIter(net -> Nd4j.getRandom().setSeed(12345)));

        assertThat(ok).as(name).isTrue();
    }
}
