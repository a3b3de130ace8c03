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
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class Dl4jNetworkTest {

    private static final Architecture TUTORIAL = TutorialMlp.architecture();
    private static final Loss CROSS_ENTROPY = new CrossEntropyLoss();

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    @Test
    void theEngineIsFoundByName() {
        assertThat(Engines.get("dl4j")).isInstanceOf(Dl4jEngine.class);
        assertThat(Engines.get("dl4j").version()).isEqualTo("1.0.0-M2.1");
    }

    @Test
    void networkHoldsExactlyTheValuesSetRowMajor() {
        Dl4jNetwork network = new Dl4jEngine().create(TUTORIAL, CROSS_ENTROPY, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        float[] expected = TorchInit.parameters(TUTORIAL.parameters(), 42);
        network.setParameters(expected);
        assertThat(network.parameters()).isEqualTo(expected);
        // row-major: element [i, j] of 0_W is at i * 512 + j, whatever order DL4J keeps internally
        INDArray w0 = network.dl4j().getParam("0_W");
        assertThat(w0.getFloat(3, 7)).isEqualTo(expected[3 * 512 + 7]);
        assertThat(w0.getFloat(783, 511)).isEqualTo(expected[783 * 512 + 511]);
        assertThatIllegalArgumentException().isThrownBy(() -> network.setParameters(new float[3]))
                .withMessage("the network holds 669706 parameter values, got 3");
    }

    @Test
    void engineOrderAndLayoutOrderAreOneRearrangement() {
        Architecture bn = Models.build("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(7, 5),
                "batch_norm", true)), Shape.of(1, 2, 3), 4);
        for (Architecture architecture : List.of(TUTORIAL, bn, Models.build("lenet5", Map.of(), Shape.of(1, 28, 28),
                10))) {
            Dl4jNetwork network = new Dl4jEngine().create(architecture, CROSS_ENTROPY,
                    org.nd4j.linalg.api.buffer.DataType.FLOAT);
            network.setParameters(TorchInit.parameters(architecture.parameters(), 5));
            float[] engineOrder = network.dl4j().params().dup().data().asFloat();
            assertThat(network.toLayoutOrder(engineOrder)).isEqualTo(network.parameters());
            assertThat(network.fromLayoutOrder(network.parameters())).isEqualTo(engineOrder);
        }
    }

    @Test
    void oneSgdStepLowersTheLossOnTheSameBatchAndIsDeterministic() {
        TensorBatch batch = randomBatch(64, 7);
        Network first = tutorial(42);
        Network second = tutorial(42);
        Optimizer sgd = new Optimizer(Sgd.of(0.1), TUTORIAL.parameterCount());
        double before = first.forwardBackward(batch, 1);
        first.step(sgd, 0.1);
        assertThat(before).isBetween(2.0, 2.6); // ~ln(10) at init
        second.forwardBackward(batch, 1);
        second.step(new Optimizer(Sgd.of(0.1), TUTORIAL.parameterCount()), 0.1);
        assertThat(second.parameters()).isEqualTo(first.parameters());
        assertThat(first.forwardBackward(batch, 2)).isLessThan(before);
    }

    @Test
    void mlpWithDefaultsTrainsBitForBitAsTheTutorialMlp() {
        Architecture mlp = Models.build("mlp", Map.of(), TutorialMlp.INPUT, 10);
        Network a = tutorial(9);
        Network b = Engines.get("dl4j").create(mlp, CROSS_ENTROPY);
        b.setParameters(TorchInit.parameters(mlp.parameters(), 9));
        Optimizer adamA = new Optimizer(Adam.defaults(), TUTORIAL.parameterCount());
        Optimizer adamB = new Optimizer(Adam.defaults(), mlp.parameterCount());
        for (int step = 0; step < 3; step++) {
            TensorBatch batch = randomBatch(32, step);
            assertThat(b.forwardBackward(batch, step)).isEqualTo(a.forwardBackward(batch, step));
            a.step(adamA, 1e-3);
            b.step(adamB, 1e-3);
        }
        assertThat(b.parameters()).isEqualTo(a.parameters());
    }

    @Test
    void dropoutDrawsFromTheSeedOfTheStepAndIsOffInEvalMode() {
        Architecture dropout = Models.build("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(64),
                "dropout", 0.5)), TutorialMlp.INPUT, 10);
        Network network = Engines.get("dl4j").create(dropout, CROSS_ENTROPY);
        network.setParameters(TorchInit.parameters(dropout.parameters(), 1));
        TensorBatch batch = randomBatch(16, 3);
        double seed7 = network.forwardBackward(batch, 7);
        assertThat(network.forwardBackward(batch, 7)).isEqualTo(seed7);
        assertThat(network.forwardBackward(batch, 8)).isNotEqualTo(seed7);
        float[] eval = network.predict(batch);
        network.forwardBackward(batch, 9);
        assertThat(network.predict(batch)).isEqualTo(eval);
    }

    @Test
    void batchNormMovesItsRunningStatisticsInTrainingAndUsesThemInEval() {
        Architecture bn = Models.build("mlp", Models.resolveOptions("mlp", Map.of("hidden", List.of(8),
                "batch_norm", true)), TutorialMlp.INPUT, 10);
        Network network = Engines.get("dl4j").create(bn, CROSS_ENTROPY);
        network.setParameters(TorchInit.parameters(bn.parameters(), 1));
        TensorBatch batch = randomBatch(32, 4);
        float[] evalBefore = network.predict(batch);
        float[] before = network.parameters();
        network.forwardBackward(batch, 0);
        float[] after = network.parameters();
        int mean = 784 * 8 + 8 + 8 + 8; // after 0_W, 0_b, 1_gamma, 1_beta
        float[] runningMean = Arrays.copyOfRange(after, mean, mean + 8);
        float[] runningVar = Arrays.copyOfRange(after, mean + 8, mean + 16);
        assertThat(Arrays.copyOfRange(before, mean, mean + 16)).containsOnly(0f, 1f);
        assertThat(runningMean).isNotEqualTo(new float[8]);
        // running = 0.9 * running + 0.1 * batch: a tenth of the way to the batch's statistics
        for (float m : runningMean) {
            assertThat(Math.abs(m)).isLessThan(0.5f);
        }
        for (float v : runningVar) {
            assertThat(v).isLessThan(1f).isGreaterThan(0.9f - 1e-6f);
        }
        // only forwardBackward touched the statistics: trained parameters are still the initial ones
        assertThat(Arrays.copyOfRange(after, 0, mean)).isEqualTo(Arrays.copyOfRange(before, 0, mean));
        assertThat(network.predict(batch)).isNotEqualTo(evalBefore);
        assertThat(network.predict(batch)).isEqualTo(network.predict(batch));
    }

    @Test
    void predictionsOfCrossEntropyNetworksAreProbabilities() {
        float[] p = tutorial(3).predict(randomBatch(4, 1));
        assertThat(p).hasSize(40);
        for (int i = 0; i < 4; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += p[i * 10 + c];
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
        }
    }

    private static Network tutorial(long seed) {
        Network network = Engines.get("dl4j").create(TUTORIAL, CROSS_ENTROPY);
        network.setParameters(TorchInit.parameters(TUTORIAL.parameters(), seed));
        return network;
    }

    static TensorBatch randomBatch(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(10);
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = random.nextInt(256) / 255f;
            }
        }
        return new TensorBatch(pixels, labels, TutorialMlp.INPUT, 10);
    }
}
