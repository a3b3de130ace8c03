package dev.streamtrain.engine.blas;

import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.Engine;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Samples per second of the tutorial's training step (784-512-512-10, ReLU, cross-entropy,
 * {@code SGD(lr=1e-3)}, batch 64) on pre-built batches, one math thread, per engine: what PyTorch's
 * {@code loss = loss_fn(model(X), y); loss.backward(); optimizer.step(); optimizer.zero_grad()} does.
 * A warm-up, then the median of 5 rounds of 200 steps. Not a test; run it with
 * <pre>
 * ./mvnw -q -B -o test-compile dependency:build-classpath -pl engine-blas -am -Dmdep.includeScope=test \
 *     -Dmdep.outputFile=target/cp.txt
 * OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java \
 *     -cp "$(cat engine-blas/target/cp.txt):engine-blas/target/classes:engine-blas/target/test-classes" \
 *     dev.streamtrain.engine.blas.BlasStepBenchmark [ENGINE ...]
 * </pre>
 * (the environment as the tests and the launcher set it; {@code setMathThreads(1)} is called too).
 */
public final class BlasStepBenchmark {

    static final int BATCH = 64;
    static final int WARM_UP_STEPS = 400;
    static final int ROUNDS = 5;
    static final int STEPS_PER_ROUND = 200;

    private BlasStepBenchmark() {
    }

    public static void main(String[] args) {
        List<String> engines = args.length > 0 ? List.of(args) : List.of("dl4j", "blas");
        TensorBatch[] batches = new TensorBatch[16];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = randomBatch(BATCH, i);
        }
        for (String name : engines) {
            double[] rounds = measure(Engines.get(name), batches);
            double[] sorted = rounds.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-5s %,8.0f samples/s (median of %d rounds of %d steps, batch %d, 1 thread;"
                            + " rounds %s)%n", name, sorted[ROUNDS / 2], ROUNDS, STEPS_PER_ROUND, BATCH,
                    Arrays.stream(rounds).mapToObj(r -> String.format(Locale.ROOT, "%.0f", r)).toList());
        }
    }

    /** Samples per second of each round. */
    static double[] measure(Engine engine, TensorBatch[] batches) {
        engine.setMathThreads(1);
        Architecture architecture = TutorialMlp.architecture();
        Network network = engine.create(architecture, new CrossEntropyLoss());
        network.setParameters(TorchInit.parameters(architecture.parameters(), 42));
        Optimizer sgd = new Optimizer(Sgd.of(1e-3), architecture.parameterCount());
        int step = 0;
        for (int i = 0; i < WARM_UP_STEPS; i++, step++) {
            train(network, sgd, batches[step % batches.length], step);
        }
        double[] rounds = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < STEPS_PER_ROUND; i++, step++) {
                train(network, sgd, batches[step % batches.length], step);
            }
            rounds[round] = (double) STEPS_PER_ROUND * BATCH / ((System.nanoTime() - start) / 1e9);
        }
        return rounds;
    }

    private static void train(Network network, Optimizer optimizer, TensorBatch batch, long step) {
        double loss = network.forwardBackward(batch, step);
        if (!Double.isFinite(loss)) {
            throw new IllegalStateException("the loss diverged: " + loss);
        }
        network.step(optimizer, 1e-3);
    }

    /** Fashion-MNIST-like pixels (k/255) and labels, from a seed. */
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
