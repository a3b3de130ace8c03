package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.RecordKeys;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Sampling;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import dev.streamtrain.producer.MinibatchSlicer;
import dev.streamtrain.producer.StreamPlan;

import java.util.ArrayList;
import java.util.List;

/** Snapshots and evaluation sets for the evaluator's tests. */
final class Fixtures {

    /** Training file size of the streams whose validation split {@link #validationSet} cuts. */
    static final int TRAIN_FILE = 400;

    private Fixtures() {
    }

    /** The test set of fashion-mnist as the producer publishes it: the file's order, batches of {@code batchSize}. */
    static EvaluationSet testSet(int samples, int batchSize) {
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, samples, 5);
        MinibatchSlicer slicer = MinibatchSlicer.inOrder(data, batchSize);
        List<Minibatch> batches = new ArrayList<>();
        int[] order = new int[samples];
        java.util.Arrays.setAll(order, i -> i);
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            batches.add(slicer.batch(1, 1, b, order));
        }
        return new EvaluationSet(Split.TEST, TopicNames.DEFAULT_TEST_SET, RecordKeys.testSetPrefix("fashion-mnist"),
                batches);
    }

    /** The loader of a stream whose validation split holds {@code validationSize} of {@link #TRAIN_FILE} samples. */
    static Sampling loader(int validationSize) {
        return new Sampling(true, false, 7, validationSize);
    }

    /**
     * The validation split of {@code stream} as the producer publishes it: {@code loader}'s samples of a
     * fashion-mnist training file of {@link #TRAIN_FILE}, in batches of {@code batchSize}.
     */
    static EvaluationSet validationSet(String stream, Sampling loader, int batchSize) {
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TRAIN, TRAIN_FILE, 6);
        int[] order = new StreamPlan(TRAIN_FILE, loader, 32).validationIndexes();
        MinibatchSlicer slicer = new MinibatchSlicer(data, Split.VALIDATION, order.length, batchSize,
                (order.length + batchSize - 1) / batchSize, loader);
        List<Minibatch> batches = new ArrayList<>();
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            batches.add(slicer.batch(1, 1, b, order));
        }
        return new EvaluationSet(Split.VALIDATION, TopicNames.DEFAULT_TEST_SET, RecordKeys.validationPrefix(stream),
                batches);
    }

    /** The tutorial's network with {@code loss}, trained {@code steps} SGD steps (lr 0.05) on synthetic data. */
    static Network trained(int steps, String loss) {
        Network network = Engines.get(Engines.DEFAULT).create(TutorialMlp.architecture(), Losses.get(loss));
        network.setParameters(TorchInit.parameters(TutorialMlp.architecture().parameters(), 42));
        Optimizer sgd = new Optimizer(Sgd.of(0.05), TutorialMlp.architecture().parameterCount());
        if (steps > 0) {
            EvaluationSet train = testSet(steps * 32, 32);
            for (Minibatch batch : train.batches()) {
                network.forwardBackward(ToTensor.apply(batch), 0);
                network.step(sgd, 0.05);
            }
        }
        return network;
    }

    static Network trained(int steps) {
        return trained(steps, RunSpec.CROSS_ENTROPY);
    }

    /** Train loss the fixture's snapshots carry: {@code step} batches of mean {@code step / 4}. */
    static EpochLoss trainLoss(long step) {
        return new EpochLoss(0.25 * step * step, (int) step);
    }

    /** Train accuracy the fixture's snapshots carry: {@code step} of {@code 32 * step} samples right. */
    static EpochAccuracy trainAccuracy(long step) {
        return new EpochAccuracy(step, 32 * step);
    }

    /** A snapshot of run {@code runId} (stream {@code runId}) of a stream without a validation split. */
    static WeightSnapshot snapshot(String runId, Network network, int epoch, long step, boolean last) {
        return snapshot(runId, network, epoch, step, last, null, List.of());
    }

    /** A snapshot of run (and stream) {@code runId} made by {@code loader}, trained after {@code transforms}. */
    static WeightSnapshot snapshot(String runId, Network network, int epoch, long step, boolean last, Sampling loader,
                                   List<TensorTransform> transforms) {
        RunSpec spec = new RunSpec(runId, runId, "fashion-mnist", TutorialMlp.NAME, RunSpec.CROSS_ENTROPY,
                Sgd.of(0.05), 32, 2, 42, TopicNames.DEFAULT, EnvironmentProbe.current(1), 0, null, null, null, null,
                loader, transforms);
        return WeightSnapshot.of(spec, epoch, step, step * 32, 1_700_000_000_000L, true, last,
                trainLoss(step), trainAccuracy(step), List.of(), TutorialMlp.architecture().layout(),
                network.parameters(), new float[0]);
    }
}
