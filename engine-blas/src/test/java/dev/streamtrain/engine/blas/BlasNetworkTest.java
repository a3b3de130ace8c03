package dev.streamtrain.engine.blas;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Models;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
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
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import dev.streamtrain.model.loss.OutputActivation;
import dev.streamtrain.model.optim.Adam;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.OptimizerSpec;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * The blas engine held against the dl4j engine: the same initial parameters and batches, 300
 * steps of SGD with momentum or Adam, every loss, ReLU, tanh and sigmoid networks, 50 steps of
 * convnets (convnet-small, lenet5, strided, padded, overlapping pooling); and the blas
 * engine's own promises (bit-identical runs, dropout from the step's seed, refused layers named).
 * The two engines' float32 sums differ in order (their gemm calls differ, the blas engine's
 * softmax is computed in double), so they agree to a tolerance, measured here, not bit for bit.
 */
class BlasNetworkTest {

    private static final Sgd SGD_MOMENTUM = new Sgd(0.01, 0.9, 0, false, 0);
    private static final Adam ADAM = Adam.defaults();
    /** The tutorial's optimizer, at a rate that moves the parameters in 300 steps: the blas engine fuses it. */
    private static final Sgd SGD_PLAIN = Sgd.of(0.05);
    /**
     * For the tutorial's ReLU network and cross-entropy: at lr 1e-3 Adam turns float32 noise in
     * near-zero gradients into whole steps, and the engines part after ~20 steps (see
     * {@link #adamOnARegimeThatAmplifiesOneUlpTrainsAlike}).
     */
    private static final Adam ADAM_SLOW = new Adam(1e-4, null, 1e-8, 0, false);
    private static final int STEPS = 300;
    /**
     * The convnets learn the synthetic batches within ~50 steps, after which their loss nears 0 and
     * its relative difference says nothing (Adam then amplifies float32 noise as in
     * {@link #adamOnARegimeThatAmplifiesOneUlpTrainsAlike}); the dl4j engine also takes ~70 ms a
     * lenet5 step.
     */
    private static final int CONVNET_STEPS = 50;
    /** Relative difference of the two engines' batch losses, at every step (measured: at most 2.1e-5). */
    private static final double LOSS_TOLERANCE = 1e-4;
    /** Largest difference of a parameter after all steps, relative to the largest parameter (measured: 1.5e-5). */
    private static final double PARAMETER_TOLERANCE = 5e-5;
    /**
     * The same for the convnets (measured: 8.9e-5, lenet5 with Adam, whose batch losses agree to 8.5e-6
     * at every step): oneDNN's convolutions sum in another order than DL4J's im2col and gemm, and
     * Adam's {@code m / sqrt(v)} magnifies the last-bit differences of near-zero gradients.
     */
    private static final double CONVNET_PARAMETER_TOLERANCE = 2e-4;
    /** Largest difference of an eval-mode output after all steps (measured: 3.8e-6). */
    private static final double PREDICTION_TOLERANCE = 2e-5;

    @BeforeAll
    static void oneThread() {
        Engines.get("dl4j").setMathThreads(1);
        Engines.get(BlasEngine.NAME).setMathThreads(1);
    }

    @Test
    void theEngineIsFoundByName() {
        assertThat(Engines.get("blas")).isInstanceOf(BlasEngine.class);
        assertThat(Engines.get("blas").version()).isEqualTo("OpenBLAS 0.3.19-1.5.7, oneDNN 2.5.2-1.5.7");
    }

    static Stream<Arguments> runs() {
        Architecture tanh = mlp(Map.of("hidden", List.of(256, 128), "activation", "tanh"));
        Architecture sigmoid = mlp(Map.of("hidden", List.of(128), "activation", "sigmoid", "dropout", 0.0));
        // an activation on the input, one after another and a Dropout(0): stages that are no fused Linear
        Architecture handBuilt = new Architecture(TutorialMlp.INPUT, 10, List.of(new Flatten(), new Sigmoid(),
                new Linear(784, 64), new Tanh(), new Dropout(0), new Sigmoid(), new Linear(64, 10)));
        return Stream.of(
                Arguments.of("tutorial-mlp, cross-entropy, SGD momentum", TutorialMlp.architecture(),
                        CrossEntropyLoss.NAME, SGD_MOMENTUM),
                Arguments.of("tutorial-mlp, cross-entropy, plain SGD (fused)", TutorialMlp.architecture(),
                        CrossEntropyLoss.NAME, SGD_PLAIN),
                Arguments.of("mlp tanh 256-128, mse, plain SGD (fused)", tanh, MseLoss.NAME, SGD_PLAIN),
                Arguments.of("tutorial-mlp, cross-entropy, Adam lr 1e-4", TutorialMlp.architecture(),
                        CrossEntropyLoss.NAME, ADAM_SLOW),
                Arguments.of("tutorial-mlp, nll, SGD momentum", TutorialMlp.architecture(), NllLoss.NAME, SGD_MOMENTUM),
                Arguments.of("tutorial-mlp, mse, Adam", TutorialMlp.architecture(), MseLoss.NAME, ADAM),
                Arguments.of("mlp tanh 256-128, nll, Adam", tanh, NllLoss.NAME, ADAM),
                Arguments.of("mlp tanh 256-128, mse, SGD momentum", tanh, MseLoss.NAME, SGD_MOMENTUM),
                Arguments.of("mlp sigmoid 128 dropout 0, cross-entropy, Adam", sigmoid, CrossEntropyLoss.NAME, ADAM),
                Arguments.of("sigmoid input, tanh, dropout 0, sigmoid; cross-entropy, SGD momentum", handBuilt,
                        CrossEntropyLoss.NAME, SGD_MOMENTUM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runs")
    void trainsAsTheDl4jEngineDoes(String name, Architecture architecture, String loss, OptimizerSpec optimizer) {
        Comparison comparison = Comparison.train(architecture, Losses.get(loss), Losses.get(loss), optimizer, STEPS,
                Batches::learnable);
        assertTrainedAlike(name, comparison);
    }

    static Stream<Arguments> convnets() {
        Architecture convnetSmall = Models.build("convnet-small", Map.of(), TutorialMlp.INPUT, 10);
        Architecture lenet5 = Models.build("lenet5", Map.of(), TutorialMlp.INPUT, 10);
        // stride 2 with padding, a multi-channel convolution with padding, overlapping pooling windows
        Architecture strided = new Architecture(TutorialMlp.INPUT, 10, List.of(new Conv2d(1, 4, 3, 2, 1), new Tanh(),
                new Conv2d(4, 6, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2), new Flatten(), new Linear(6 * 6 * 6, 10)));
        // pooling on the input (nothing before it needs a gradient), a convolution with no activation
        Architecture pooledInput = new Architecture(TutorialMlp.INPUT, 10, List.of(new MaxPool2d(2, 2),
                new Conv2d(1, 3, 5, 3, 2), new Flatten(), new Sigmoid(), new Linear(3 * 5 * 5, 10)));
        // convnet-small learns the learnable batches within 50 steps, its loss nearing 0 (where a relative
        // difference says nothing): noisy labels keep it up. lenet5 on noisy labels is the regime where Adam
        // amplifies float32 noise (adamOnARegimeThatAmplifiesOneUlpTrainsAlike): learnable batches.
        Comparison.Batches learnable = Batches::learnable;
        Comparison.Batches noisy = Batches::noisy;
        return Stream.of(
                Arguments.of("convnet-small, cross-entropy, SGD momentum", convnetSmall, CrossEntropyLoss.NAME,
                        SGD_MOMENTUM, noisy),
                Arguments.of("convnet-small, cross-entropy, Adam", convnetSmall, CrossEntropyLoss.NAME, ADAM, noisy),
                Arguments.of("lenet5, cross-entropy, Adam", lenet5, CrossEntropyLoss.NAME, ADAM, learnable),
                Arguments.of("lenet5, nll, SGD momentum", lenet5, NllLoss.NAME, SGD_MOMENTUM, learnable),
                Arguments.of("conv stride 2 padding 1, conv 4->6 padding 1, maxpool 3/2; mse, Adam", strided,
                        MseLoss.NAME, ADAM, learnable),
                Arguments.of("maxpool on the input, conv stride 3 padding 2, no activation; cross-entropy, SGD "
                        + "momentum", pooledInput, CrossEntropyLoss.NAME, SGD_MOMENTUM, learnable));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convnets")
    void convnetsTrainAsTheDl4jEngineDoes(String name, Architecture architecture, String loss, OptimizerSpec optimizer,
                                          Comparison.Batches batches) {
        Comparison comparison = Comparison.train(architecture, Losses.get(loss), Losses.get(loss), optimizer,
                CONVNET_STEPS, batches);
        assertTrainedAlike(name, comparison, CONVNET_PARAMETER_TOLERANCE);
    }

    /**
     * Adam at lr 1e-3 on a ReLU network whose loss cannot reach 0 amplifies any float32 difference:
     * the dl4j engine itself, started from parameters of which one differs by one ulp, departs from
     * its unperturbed run at step 19 and ends 1e-1 apart (relative L2 of the parameters), as the
     * blas engine does. Two float32 implementations cannot track each other there; what holds is
     * the same first steps and the same training.
     */
    @Test
    void adamOnARegimeThatAmplifiesOneUlpTrainsAlike() {
        Comparison comparison = Comparison.train(TutorialMlp.architecture(), new CrossEntropyLoss(),
                new CrossEntropyLoss(), ADAM, STEPS, Batches::noisy);
        System.out.printf("tutorial-mlp, cross-entropy, Adam, noisy labels: %s%n", comparison);
        assertThat(comparison.firstLossDeparture()).as("first step whose losses differ by 1e-4").isGreaterThan(10);
        assertThat(comparison.blasLateLoss()).as("mean loss of the last 50 steps")
                .isCloseTo(comparison.dl4jLateLoss(), withinPercentage(5));
        assertThat(comparison.blasLateLoss()).as("it learned").isLessThan(comparison.firstLoss() * 0.9);
    }

    static Stream<Arguments> unfusedLosses() {
        return Stream.of(Arguments.of(CrossEntropyLoss.NAME), Arguments.of(NllLoss.NAME), Arguments.of(MseLoss.NAME));
    }

    /**
     * A loss of the user's goes through its {@code value} and {@code gradient} and back through its
     * output activation; the built-in losses wrapped so that the engine cannot recognise them train
     * as the dl4j engine trains the built-in ones.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unfusedLosses")
    void aLossOfTheUsersTrainsThroughItsValueAndGradient(String loss) {
        Loss unfused = new Unfused(Losses.get(loss));
        Comparison comparison = Comparison.train(mlp(Map.of("hidden", List.of(128, 64))), unfused, Losses.get(loss),
                ADAM, 100, Batches::learnable);
        System.out.printf("unfused %s: %s%n", loss, comparison);
        assertThat(comparison.lossDifference()).isLessThan(LOSS_TOLERANCE);
        assertThat(comparison.parameterDifference()).isLessThan(PARAMETER_TOLERANCE);
        assertThat(comparison.predictDifference()).isLessThan(PREDICTION_TOLERANCE);
        assertThat(comparison.correctMismatches()).isZero();
    }

    /**
     * Plain SGD fused into backpropagation is the same update as {@code forwardBackward} then
     * {@code step} (the weights' {@code W - lr * dW} rounded once instead of twice), counts its
     * steps, and leaves the parameters where {@code parameters()} and an unfused step find them.
     */
    @Test
    void plainSgdFusedIntoBackpropagationIsTheUnfusedUpdate() {
        Architecture architecture = TutorialMlp.architecture();
        Network fused = blas(architecture, new CrossEntropyLoss(), 3);
        Network unfused = blas(architecture, new CrossEntropyLoss(), 3);
        Optimizer fusedSgd = new Optimizer(SGD_PLAIN, architecture.parameterCount());
        Optimizer unfusedSgd = new Optimizer(SGD_PLAIN, architecture.parameterCount());
        double largestLossDifference = 0;
        for (int step = 0; step < 50; step++) {
            TensorBatch batch = Batches.learnable(step % 9 == 8 ? 17 : 64, step);
            double fusedLoss = fused.train(batch, step, fusedSgd, SGD_PLAIN.lr());
            double unfusedLoss = unfused.forwardBackward(batch, step);
            unfused.step(unfusedSgd, SGD_PLAIN.lr());
            largestLossDifference = Math.max(largestLossDifference, Math.abs(fusedLoss - unfusedLoss) / unfusedLoss);
            assertThat(fused.trainCorrect()).isEqualTo(unfused.trainCorrect());
        }
        assertThat(fusedSgd.steps()).isEqualTo(unfusedSgd.steps()).isEqualTo(50);
        assertThat(largestLossDifference).as("largest relative loss difference").isLessThan(1e-5);
        float[] a = fused.parameters();
        float[] b = unfused.parameters();
        assertThat(a).isNotEqualTo(TorchInit.parameters(architecture.parameters(), 3));
        assertThat(a).containsExactly(b, org.assertj.core.data.Offset.offset(1e-6f));
        // the heap copy follows the native buffer: an unfused step after fused ones starts from them
        TensorBatch batch = Batches.learnable(64, 77);
        fused.forwardBackward(batch, 77);
        fused.step(fusedSgd, SGD_PLAIN.lr());
        Network check = blas(architecture, new CrossEntropyLoss(), 3);
        check.setParameters(a);
        check.forwardBackward(batch, 77);
        check.step(new Optimizer(SGD_PLAIN, architecture.parameterCount()), SGD_PLAIN.lr());
        assertThat(fused.parameters()).isEqualTo(check.parameters());
    }

    static Stream<Arguments> deterministic() {
        Architecture dropout = mlp(Map.of("hidden", List.of(256, 64), "dropout", 0.3));
        Architecture lenet5 = Models.build("lenet5", Map.of(), TutorialMlp.INPUT, 10);
        return Stream.of(Arguments.of(dropout, ADAM), Arguments.of(dropout, SGD_PLAIN), Arguments.of(lenet5, ADAM),
                Arguments.of(lenet5, SGD_PLAIN));
    }

    @ParameterizedTest
    @MethodSource("deterministic")
    void theSameInputsAndSeedsGiveTheSameBitsRunToRun(Architecture architecture, OptimizerSpec spec) {
        float[][] runs = new float[2][];
        double[][] losses = new double[2][40];
        float[][] predictions = new float[2][];
        for (int run = 0; run < 2; run++) {
            Network network = blas(architecture, new CrossEntropyLoss(), 5);
            Optimizer optimizer = new Optimizer(spec, architecture.parameterCount());
            for (int step = 0; step < 40; step++) {
                losses[run][step] = network.train(Batches.learnable(step % 7 == 6 ? 17 : 64, step), step, optimizer,
                        spec.lr());
            }
            runs[run] = network.parameters();
            predictions[run] = network.predict(Batches.learnable(64, 99));
        }
        assertThat(runs[1]).isEqualTo(runs[0]);
        assertThat(losses[1]).isEqualTo(losses[0]);
        assertThat(predictions[1]).isEqualTo(predictions[0]);
    }

    @Test
    void dropoutDrawsFromTheSeedOfTheStepAndIsOffInEvalMode() {
        Architecture dropout = mlp(Map.of("hidden", List.of(64), "dropout", 0.5));
        Network network = blas(dropout, new CrossEntropyLoss(), 1);
        TensorBatch batch = Batches.learnable(16, 3);
        double seed7 = network.forwardBackward(batch, 7);
        assertThat(network.forwardBackward(batch, 7)).isEqualTo(seed7);
        assertThat(network.forwardBackward(batch, 8)).isNotEqualTo(seed7);
        float[] eval = network.predict(batch);
        network.forwardBackward(batch, 9);
        assertThat(network.predict(batch)).isEqualTo(eval);
        // eval mode is the network without its dropout layers
        Network without = blas(mlp(Map.of("hidden", List.of(64))), new CrossEntropyLoss(), 1);
        assertThat(without.predict(batch)).isEqualTo(eval);
    }

    /** {@code auto}: blas where it computes every layer, dl4j (which computes all) elsewhere; a named engine is kept. */
    @Test
    void autoPicksBlasWhereItComputesTheNetworkAndDl4jElsewhere() {
        Architecture batchNorm = mlp(Map.of("hidden", List.of(8), "batch_norm", true));
        assertThat(Engines.get("blas").computes(TutorialMlp.architecture())).isTrue();
        assertThat(Engines.get("blas").computes(batchNorm)).isFalse();
        assertThat(Engines.resolve(Engines.AUTO, TutorialMlp.architecture())).isEqualTo("blas");
        assertThat(Engines.resolve(Engines.AUTO, batchNorm)).isEqualTo("dl4j");
        assertThat(Engines.resolve(Engines.AUTO, Models.build("lenet5", Map.of(), TutorialMlp.INPUT, 10)))
                .isEqualTo("blas");
        assertThat(Engines.resolve("dl4j", TutorialMlp.architecture())).isEqualTo("dl4j");
        Engines.requireKnown(Engines.AUTO);
        assertThatIllegalArgumentException().isThrownBy(() -> Engines.requireKnown("torch"))
                .withMessageStartingWith("unknown engine 'torch'");
    }

    @Test
    void layersItDoesNotComputeAreRefusedByName() {
        Architecture batchNorm = mlp(Map.of("hidden", List.of(8), "batch_norm", true));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Engines.get("blas").create(batchNorm, new CrossEntropyLoss()))
                .withMessage("the blas engine computes Flatten, Linear, Conv2d, MaxPool2d, ReLU, Tanh, Sigmoid and "
                        + "Dropout layers, not layer 2, BatchNorm(8, eps=1.0E-5, momentum=0.1); use --engine dl4j, "
                        + "which computes every layer");
    }

    @Test
    void engineOrderIsLayoutOrderAndMisuseFailsClearly() {
        Architecture architecture = TutorialMlp.architecture();
        Network network = Engines.get("blas").create(architecture, new CrossEntropyLoss());
        float[] values = TorchInit.parameters(architecture.parameters(), 42);
        network.setParameters(values);
        assertThat(network.parameters()).isEqualTo(values);
        assertThat(network.toLayoutOrder(values)).isEqualTo(values);
        assertThat(network.fromLayoutOrder(values)).isEqualTo(values);
        assertThatIllegalArgumentException().isThrownBy(() -> network.setParameters(new float[3]))
                .withMessage("the network holds 669706 parameter values, got 3");
        assertThatIllegalStateException().isThrownBy(network::trainCorrect)
                .withMessage("trainCorrect() before forwardBackward()");
        Optimizer sgd = new Optimizer(Sgd.of(0.1), architecture.parameterCount());
        assertThatIllegalStateException().isThrownBy(() -> network.step(sgd, 0.1))
                .withMessage("step() before forwardBackward()");
        network.forwardBackward(Batches.learnable(8, 1), 1);
        network.step(sgd, 0.1);
        assertThatIllegalStateException().as("one step per forwardBackward").isThrownBy(() -> network.step(sgd, 0.1));
        TensorBatch cifar = new TensorBatch(new float[3 * 32 * 32], new int[] {0}, Shape.of(3, 32, 32), 10);
        assertThatIllegalArgumentException().isThrownBy(() -> network.predict(cifar))
                .withMessage("the network takes samples of shape [1, 28, 28] with 10 classes, the batch has "
                        + "[3, 32, 32] with 10");
    }

    @Test
    void predictionsAreWhatTheLossTakes() {
        TensorBatch batch = Batches.learnable(4, 1);
        float[] p = blas(TutorialMlp.architecture(), new CrossEntropyLoss(), 3).predict(batch);
        float[] logP = blas(TutorialMlp.architecture(), new NllLoss(), 3).predict(batch);
        float[] logits = blas(TutorialMlp.architecture(), new MseLoss(), 3).predict(batch);
        double[] expectedP = OutputActivation.SOFTMAX.apply(toDouble(logits), 10);
        double[] expectedLogP = OutputActivation.LOG_SOFTMAX.apply(toDouble(logits), 10);
        for (int i = 0; i < 40; i++) {
            assertThat(p[i]).isEqualTo((float) expectedP[i]);
            assertThat(logP[i]).isEqualTo((float) expectedLogP[i]);
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    static Architecture mlp(Map<String, Object> options) {
        return Models.build("mlp", Models.resolveOptions("mlp", options), TutorialMlp.INPUT, 10);
    }

    /** The two engines within the tolerances above, and the run learned. */
    private static void assertTrainedAlike(String name, Comparison comparison) {
        assertTrainedAlike(name, comparison, PARAMETER_TOLERANCE);
    }

    private static void assertTrainedAlike(String name, Comparison comparison, double parameterTolerance) {
        System.out.printf("%s: %s%n", name, comparison);
        assertThat(comparison.lossDifference()).as("largest relative loss difference").isLessThan(LOSS_TOLERANCE);
        assertThat(comparison.parameterDifference()).as("largest parameter difference, relative")
                .isLessThan(parameterTolerance);
        assertThat(comparison.predictDifference()).as("largest prediction difference").isLessThan(PREDICTION_TOLERANCE);
        assertThat(comparison.correctMismatches()).as("steps whose trainCorrect differs").isZero();
        assertThat(comparison.blasLateLoss()).as("it learned").isLessThan(comparison.firstLoss());
    }

    static Network blas(Architecture architecture, Loss loss, long seed) {
        Network network = Engines.get("blas").create(architecture, loss);
        network.setParameters(TorchInit.parameters(architecture.parameters(), seed));
        return network;
    }

    /** A loss the engine cannot recognise as built-in: its value, gradient and output activation are the wrapped one's. */
    record Unfused(Loss loss) implements Loss {

        @Override
        public String name() {
            return "unfused-" + loss.name();
        }

        @Override
        public OutputActivation output() {
            return loss.output();
        }

        @Override
        public double value(double[] outputs, int[] labels, int classes) {
            return loss.value(outputs, labels, classes);
        }

        @Override
        public void gradient(double[] outputs, int[] labels, int classes, double[] gradient) {
            loss.gradient(outputs, labels, classes, gradient);
        }
    }

    /** Minibatches of the synthetic dataset the pipeline tests learn from: each class has its own band of rows. */
    static final class Batches {

        private Batches() {
        }

        static TensorBatch learnable(int n, long seed) {
            return of(n, seed, 0);
        }

        /** With each label drawn at random with probability {@code 1/noiseEvery}: the loss levels off far above 0. */
        static TensorBatch noisy(int n, long seed) {
            return of(n, seed, 3);
        }

        private static TensorBatch of(int n, long seed, int noiseEvery) {
            var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, n, 100 + seed);
            float[] features = new float[data.pixels().length];
            for (int i = 0; i < features.length; i++) {
                features[i] = (data.pixels()[i] & 0xFF) / 255f;
            }
            SplittableRandom noise = new SplittableRandom(seed);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = noiseEvery > 0 && noise.nextInt(noiseEvery) == 0 ? noise.nextInt(10) : data.labels()[i];
            }
            return new TensorBatch(features, labels, TutorialMlp.INPUT, 10);
        }
    }
}
