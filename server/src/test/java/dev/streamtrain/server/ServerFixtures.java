package dev.streamtrain.server;

import dev.streamtrain.contracts.dataset.ImageDataset;
import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.TestMetrics;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.layer.Shape;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;

import java.util.Arrays;
import java.util.List;

/** Snapshots of the tutorial's network trained a little on synthetic data, and their metrics, for the server's tests. */
final class ServerFixtures {

    static final int PIXELS = 28 * 28;

    private ServerFixtures() {
    }

    /** Synthetic 28x28 images of 10 classes (each lights its own band of rows). */
    static ImageDataset images(int count, long seed) {
        return SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, count, seed);
    }

    /** The tutorial's network with {@code loss}, trained {@code steps} SGD steps (lr 0.05, batches of 32). */
    static Network trained(int steps, String loss, List<TensorTransform> transforms) {
        Network network = Engines.get(Engines.DEFAULT).create(TutorialMlp.architecture(), Losses.get(loss));
        network.setParameters(TorchInit.parameters(TutorialMlp.architecture().parameters(), 42));
        Optimizer sgd = new Optimizer(Sgd.of(0.05), TutorialMlp.architecture().parameterCount());
        ImageDataset data = images(steps * 32, 6);
        for (int s = 0; s < steps; s++) {
            byte[] pixels = Arrays.copyOfRange(data.pixels(), s * 32 * PIXELS, (s + 1) * 32 * PIXELS);
            int[] labels = new int[32];
            for (int i = 0; i < 32; i++) {
                labels[i] = data.labels()[s * 32 + i];
            }
            network.forwardBackward(ToTensor.apply(pixels, Shape.of(1, 28, 28), labels, 10, transforms), s);
            network.step(sgd, 0.05);
        }
        return network;
    }

    static RunSpec spec(String runId, String loss, Sampling loader, List<TensorTransform> transforms) {
        return new RunSpec(runId, runId, "fashion-mnist", TutorialMlp.NAME, loss, Sgd.of(0.05), 32, 2, 42,
                TopicNames.DEFAULT, EnvironmentProbe.current(1), 0, null, null, null, null, loader, transforms);
    }

    /** A snapshot at {@code step} of run {@code runId} (cross-entropy, no transforms), trained {@code step} steps. */
    static WeightSnapshot snapshot(String runId, long step) {
        return snapshot(spec(runId, RunSpec.CROSS_ENTROPY, null, List.of()), step,
                trained((int) step, RunSpec.CROSS_ENTROPY, List.of()).parameters());
    }

    static WeightSnapshot snapshot(RunSpec spec, long step, float[] parameters) {
        return WeightSnapshot.of(spec, 1, step, step * 32, System.currentTimeMillis(), false, false,
                new EpochLoss(step, (int) step), new EpochAccuracy(step, 32 * step), List.of(),
                TutorialMlp.architecture().layout(), parameters, new float[0]);
    }

    /** Metrics of {@code snapshot}: test loss {@code testLoss}, and a validation loss when given (not NaN... or NaN). */
    static TestMetrics metrics(WeightSnapshot snapshot, double testLoss, Double validationLoss) {
        EvaluationResult test = new EvaluationResult("test", TopicNames.DEFAULT_TEST_SET, "fashion-mnist/", 10, 1, 10,
                0.5, testLoss, new long[][] {{10}});
        EvaluationResult validation = validationLoss == null ? null : new EvaluationResult("validation",
                TopicNames.DEFAULT_TEST_SET, snapshot.runId() + "/validation/", 10, 1, 10, 0.5, validationLoss,
                new long[][] {{10}});
        return new TestMetrics(snapshot.runId(), "fashion-mnist", TutorialMlp.NAME, snapshot.epoch(), snapshot.step(),
                snapshot.samplesSeen(), false, false, 0.5, testLoss, 10, snapshot.parametersSha256(),
                snapshot.createdAtMillis(), System.currentTimeMillis(), 1.0, 0.5, test, validation);
    }

    /** Sample {@code i} of {@code data}, flat. */
    static Sample sample(ImageDataset data, int i) {
        return Sample.flat(Arrays.copyOfRange(data.pixels(), i * PIXELS, (i + 1) * PIXELS));
    }
}
