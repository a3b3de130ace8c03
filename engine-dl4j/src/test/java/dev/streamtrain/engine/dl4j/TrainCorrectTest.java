package dev.streamtrain.engine.dl4j;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.ConvnetSmall;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link Network#trainCorrect()} counts what the training-mode forward pass of {@code forwardBackward}
 * classified correctly. Without dropout and batch norm, training mode computes what eval mode computes,
 * so the count must be that of {@code predict}'s argmax (first maximum) with the same parameters,
 * before the step: for every model family and every output activation the losses choose.
 */
class TrainCorrectTest {

    private static final int BATCH = 64;
    private static final int STEPS = 6;

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    static Stream<Arguments> modelsAndLosses() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : List.of(TutorialMlp.NAME, "mlp (2 hidden, no dropout, no batch norm)", ConvnetSmall.NAME)) {
            for (String loss : List.of(CrossEntropyLoss.NAME, NllLoss.NAME, MseLoss.NAME)) {
                cases.add(Arguments.of(model, loss));
            }
        }
        return cases.stream();
    }

    private static Architecture architecture(String model) {
        if (model.startsWith("mlp")) {
            return Models.build("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(32, 16), "dropout", 0.0,
                    "batch_norm", false)), TutorialMlp.INPUT, 10);
        }
        return Models.build(model, Map.of(), TutorialMlp.INPUT, 10);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("modelsAndLosses")
    void trainCorrectIsTheArgmaxCountOfTheParametersBeforeTheStep(String model, String loss) {
        Architecture architecture = architecture(model);
        Network network = Engines.get("dl4j").create(architecture, Losses.get(loss));
        network.setParameters(TorchInit.parameters(architecture.parameters(), 11));
        Optimizer sgd = new Optimizer(Sgd.of(0.05), architecture.parameterCount());
        int[] counts = new int[STEPS];
        for (int step = 0; step < STEPS; step++) {
            TensorBatch batch = learnable(step);
            int expected = argmaxHits(network.predict(batch), batch);
            network.forwardBackward(batch, step);
            counts[step] = network.trainCorrect();
            assertThat(counts[step]).as("step %d", step).isEqualTo(expected);
            network.step(sgd, 0.05);
        }
        assertThat(counts).as("not one constant: the count follows the network as it learns")
                .matches(c -> java.util.Arrays.stream(c).distinct().count() > 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {CrossEntropyLoss.NAME, NllLoss.NAME, MseLoss.NAME})
    void onTiesTheFirstClassIsPredictedAsTheTestLoopPredictsIt(String loss) {
        Architecture architecture = TutorialMlp.architecture();
        Network network = Engines.get("dl4j").create(architecture, Losses.get(loss));
        network.setParameters(new float[architecture.parameterCount()]); // every output equal
        TensorBatch batch = learnable(0);
        int zeros = 0;
        for (int label : batch.labels()) {
            zeros += label == 0 ? 1 : 0;
        }
        network.forwardBackward(batch, 0);
        assertThat(zeros).isPositive();
        assertThat(network.trainCorrect()).isEqualTo(zeros).isEqualTo(argmaxHits(network.predict(batch), batch));
    }

    @Test
    void thereIsNoCountBeforeTheFirstForwardPass() {
        Network network = Engines.get("dl4j").create(TutorialMlp.architecture(), Losses.get(CrossEntropyLoss.NAME));
        assertThatIllegalStateException().isThrownBy(network::trainCorrect)
                .withMessage("trainCorrect() before forwardBackward()");
    }

    /** A batch of the synthetic dataset the pipeline tests learn from: each class has its own band of rows. */
    private static TensorBatch learnable(int seed) {
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, BATCH, 100 + seed);
        float[] features = new float[data.pixels().length];
        for (int i = 0; i < features.length; i++) {
            features[i] = (data.pixels()[i] & 0xFF) / 255f;
        }
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = data.labels()[i];
        }
        return new TensorBatch(features, labels, TutorialMlp.INPUT, 10);
    }

    /** The test loop's count: argmax of each sample's outputs, the first maximum on ties, equal to its label. */
    private static int argmaxHits(float[] outputs, TensorBatch batch) {
        int hits = 0;
        for (int i = 0; i < batch.size(); i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = outputs[i * 10 + c] > outputs[i * 10 + best] ? c : best;
            }
            hits += best == batch.labels()[i] ? 1 : 0;
        }
        return hits;
    }
}
