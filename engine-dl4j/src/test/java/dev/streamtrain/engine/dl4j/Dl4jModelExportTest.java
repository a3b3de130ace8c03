package dev.streamtrain.engine.dl4j;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Loss;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A snapshot's network exported as a ModelSerializer zip is restored by plain DL4J
 * ({@code MultiLayerNetwork.load}) and predicts what the engine predicts, for every kind of layer
 * and every built-in loss (nll's log-probabilities come back as probabilities).
 */
class Dl4jModelExportTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    static Stream<Arguments> networks() {
        Architecture mlp = Models.build("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(16, 8),
                "dropout", 0.2, "batch_norm", true)), Shape.of(1, 28, 28), 10);
        Architecture convnet = Models.build("convnet-small", Models.resolveOptions("convnet-small", Map.of()),
                Shape.of(1, 28, 28), 10);
        Architecture lenet = Models.build("lenet5", Map.of(), Shape.of(1, 28, 28), 10);
        return Stream.of(
                Arguments.of("tutorial-mlp, cross-entropy", TutorialMlp.architecture(), new CrossEntropyLoss()),
                Arguments.of("tutorial-mlp, nll", TutorialMlp.architecture(), new NllLoss()),
                Arguments.of("tutorial-mlp, mse", TutorialMlp.architecture(), new MseLoss()),
                Arguments.of("mlp with dropout and batch norm", mlp, new CrossEntropyLoss()),
                Arguments.of("convnet-small", convnet, new CrossEntropyLoss()),
                Arguments.of("lenet5", lenet, new CrossEntropyLoss()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void plainDl4jRestoresTheNetworkAndPredictsWhatTheEngineDoes(String name, Architecture architecture, Loss loss)
            throws Exception {
        Network trained = Engines.get(Dl4jEngine.NAME).create(architecture, loss);
        trained.setParameters(TorchInit.parameters(architecture.parameters(), 3));
        Optimizer adam = new Optimizer(Adam.defaults(), architecture.parameterCount());
        for (int step = 0; step < 5; step++) {
            trained.forwardBackward(batch(architecture, 32, step), step);
            trained.step(adam, 1e-3);
        }
        Path zip = tmp.resolve("model.zip");

        Dl4jModelExport.write(architecture, loss, trained.parameters(), zip);

        MultiLayerNetwork restored = MultiLayerNetwork.load(zip.toFile(), false);
        assertThat(ModelSerializer.restoreMultiLayerNetwork(zip.toFile()).numParams())
                .isEqualTo(architecture.parameterCount());
        TensorBatch test = batch(architecture, 16, 99);
        float[] expected = trained.predict(test);
        if (loss instanceof NllLoss) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] = (float) Math.exp(expected[i]); // exported as softmax: probabilities
            }
        }
        // Every exported network takes rows of C*H*W values (each sample's NCHW tensor flattened in C order).
        long[] shape = {test.size(), architecture.inputShape().size()};
        float[] actual = restored.output(Nd4j.create(test.features(), shape, 'c'), false).dup('c').data().asFloat();
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("output %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    private static TensorBatch batch(Architecture architecture, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = architecture.inputShape().size();
        float[] features = new float[n * size];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) random.nextDouble();
        }
        int[] labels = random.ints(n, 0, architecture.classes()).toArray();
        return new TensorBatch(features, labels, architecture.inputShape(), architecture.classes());
    }
}
