package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.EnvironmentProbe;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import dev.streamtrain.producer.EpochShuffler;
import dev.streamtrain.producer.MinibatchSlicer;

import java.util.ArrayList;
import java.util.List;

/** Snapshots and test sets for the evaluator's tests. */
final class Fixtures {

    private Fixtures() {
    }

    static EvaluationSet testSet(int samples, int batchSize) {
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, samples, 5);
        MinibatchSlicer slicer = new MinibatchSlicer(data, batchSize);
        int[] order = new EpochShuffler(0, false).order(1, samples);
        List<Minibatch> batches = new ArrayList<>();
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            batches.add(slicer.batch(1, 1, b, order));
        }
        return new EvaluationSet("fashion-mnist", batches);
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

    static WeightSnapshot snapshot(String runId, Network network, int epoch, long step, boolean last) {
        RunSpec spec = new RunSpec(runId, runId, "fashion-mnist", TutorialMlp.NAME, RunSpec.CROSS_ENTROPY,
                Sgd.of(0.05), 32, 2, 42, TopicNames.DEFAULT, EnvironmentProbe.current(1));
        return WeightSnapshot.of(spec, epoch, step, step * 32, 1_700_000_000_000L, true, last,
                trainLoss(step), List.of(), TutorialMlp.architecture().layout(), network.parameters(),
                new float[0]);
    }
}
