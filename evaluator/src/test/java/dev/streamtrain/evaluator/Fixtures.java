package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.dataset.SyntheticIdxDataset;
import dev.streamtrain.contracts.run.OptimizerSpec;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.EnvironmentProbe;
import dev.streamtrain.model.MinibatchTensors;
import dev.streamtrain.model.ParameterLayout;
import dev.streamtrain.model.TutorialMlp;
import dev.streamtrain.producer.EpochShuffler;
import dev.streamtrain.producer.MinibatchSlicer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.util.ArrayList;
import java.util.List;

/** Snapshots and test sets for the evaluator's tests. */
final class Fixtures {

    static final TutorialMlp MODEL = new TutorialMlp();

    private Fixtures() {
    }

    static TestSet testSet(int samples, int batchSize) {
        var data = SyntheticIdxDataset.dataset("fashion-mnist", Split.TEST, samples, 5);
        MinibatchSlicer slicer = new MinibatchSlicer(data, batchSize);
        int[] order = new EpochShuffler(0, false).order(1, samples);
        List<Minibatch> batches = new ArrayList<>();
        for (int b = 0; b < slicer.batchesPerEpoch(); b++) {
            batches.add(slicer.batch(1, 1, b, order));
        }
        return new TestSet("fashion-mnist", batches);
    }

    /** A network trained {@code steps} SGD steps on synthetic data. */
    static MultiLayerNetwork trained(int steps) {
        MultiLayerNetwork network = MODEL.create(OptimizerSpec.sgd(0.05), 42);
        if (steps == 0) {
            return network;
        }
        TestSet train = testSet(steps * 32, 32);
        train.batches().forEach(b -> network.fit(MinibatchTensors.toDataSet(b)));
        return network;
    }

    /** Train loss the fixture's snapshots carry: {@code step} batches of mean {@code step / 4}. */
    static EpochLoss trainLoss(long step) {
        return new EpochLoss(0.25 * step * step, (int) step);
    }

    static WeightSnapshot snapshot(String runId, MultiLayerNetwork network, int epoch, long step, boolean last) {
        RunSpec spec = new RunSpec(runId, runId, "fashion-mnist", TutorialMlp.NAME, RunSpec.CROSS_ENTROPY,
                OptimizerSpec.sgd(0.05), 32, 2, 42, TopicNames.DEFAULT, EnvironmentProbe.current(1));
        return WeightSnapshot.of(spec, epoch, step, step * 32, 1_700_000_000_000L, true, last,
                trainLoss(step), List.of(), MODEL.layout(), ParameterLayout.read(network, MODEL.layout()),
                new float[0]);
    }
}
