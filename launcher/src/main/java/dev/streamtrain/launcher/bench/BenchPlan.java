package dev.streamtrain.launcher.bench;

import dev.streamtrain.contracts.run.TrainingRecipe;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.model.Architecture;
import dev.streamtrain.model.layer.Conv2d;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a benchmark measures and how: the recipe and its network, batch sizes, math threads, the
 * stream's sampling, and the method (warm-up steps, timed rounds of steps, epochs of the stream and
 * local runs, epochs of the peer's tutorial loop).
 *
 * @param warmupSteps   untimed steps before the timed rounds of every in-memory step figure
 * @param rounds        timed rounds; a step figure is the median round's
 * @param stepsPerRound steps in each timed round (also the number of distinct prebuilt batches, at most)
 * @param epochs        epochs of the stream, local and separate-process runs
 * @param peerEpochs    epochs of the PyTorch peer's tutorial loop
 * @param quick         a tiny run for tests: small generated data, few steps
 * @param engine        the engine of the stream, local and separate-process runs (the in-memory step is measured
 *                      for every engine)
 */
public record BenchPlan(TrainingRecipe recipe, Architecture architecture, int batchSize, int testBatchSize,
                        int threads, long seed, int snapshotEvery, Sampling sampling, int warmupSteps, int rounds,
                        int stepsPerRound, int epochs, int peerEpochs, boolean quick, String engine) {

    public BenchPlan {
        Objects.requireNonNull(recipe, "recipe");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(engine, "engine");
        requireAtLeast(1, batchSize, "--batch-size");
        requireAtLeast(1, testBatchSize, "--test-batch-size");
        requireAtLeast(1, threads, "--threads");
        requireAtLeast(0, warmupSteps, "--warmup");
        requireAtLeast(1, rounds, "--rounds");
        requireAtLeast(1, stepsPerRound, "--steps");
        requireAtLeast(1, epochs, "--epochs");
        requireAtLeast(1, peerEpochs, "--peer-epochs");
    }

    private static void requireAtLeast(int min, int value, String option) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        }
    }

    Map<String, Object> describe() {
        Map<String, Object> method = new LinkedHashMap<>();
        method.put("recipe", recipe.describe());
        method.put("model", recipe.describeModel());
        method.put("parameters", architecture.parameterCount());
        method.put("convolutional", architecture.layers().stream().anyMatch(Conv2d.class::isInstance));
        method.put("batchSize", batchSize);
        method.put("testBatchSize", testBatchSize);
        method.put("mathThreads", threads);
        method.put("engine", engine);
        method.put("seed", seed);
        method.put("snapshotEvery", snapshotEvery);
        method.put("loader", sampling.describe());
        method.put("warmupSteps", warmupSteps);
        method.put("rounds", rounds);
        method.put("stepsPerRound", stepsPerRound);
        method.put("stepFigure", "median over rounds of the mean step time in a round; samples/s = batch size / it");
        method.put("epochs", epochs);
        method.put("peerTutorialEpochs", peerEpochs);
        method.put("quick", quick);
        return method;
    }
}
