package dev.streamtrain.engine.dl4j;

import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.run.RunSpec;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EpochAccuracy;
import dev.streamtrain.contracts.wire.EpochLoss;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.Losses;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine reproduces every golden run bit for bit: the recorded minibatches, after ToTensor and
 * the spec's transforms, trained from the spec's initialisation with its optimizer and schedule,
 * give exactly each snapshot's parameters, train loss, train accuracy and optimizer state. The
 * engine seam changed how a step is computed (DL4J's backprop, then the model API's SGD instead of
 * DL4J's {@code fit}); the golden run trained by {@code fit} before the change proves the bits did
 * not. The 0.4 golden adds Normalize, Adam's state, drop_last and shuffled epochs of a stream with a
 * validation split.
 */
class GoldenRunReproductionTest {

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    static List<GoldenRun> goldenRuns() {
        return GoldenRun.all();
    }

    @Test
    void tutorialMlpStartsFromTheInitialisationOfBeforeTheEngineSeam() {
        assertThat(TorchInit.parameters(TutorialMlp.architecture().parameters(), 42))
                .isEqualTo(GoldenRun.referenceParameters(42));
    }

    @ParameterizedTest
    @MethodSource("goldenRuns")
    void theRecordedMinibatchesReproduceEverySnapshotBitForBit(GoldenRun golden) {
        List<Minibatch> batches = golden.minibatches(TopicNames.DEFAULT_MINIBATCHES);
        List<WeightSnapshot> snapshots = golden.snapshots();
        RunSpec spec = snapshots.get(0).spec();
        Network network = new Dl4jEngine().create(spec.architecture(), Losses.get(spec.loss()));
        network.setParameters(TorchInit.parameters(spec.architecture().parameters(), spec.seed()));
        Optimizer optimizer = new Optimizer(spec.optimizer(), spec.architecture().parameterCount());

        List<Long> reproduced = new ArrayList<>();
        int epoch = 0;
        EpochLoss loss = EpochLoss.NONE;
        EpochAccuracy accuracy = EpochAccuracy.NONE;
        for (int step = 1; step <= batches.size(); step++) {
            Minibatch batch = batches.get(step - 1);
            if (batch.epoch() != epoch) {
                epoch = batch.epoch();
                loss = EpochLoss.NONE;
                accuracy = EpochAccuracy.NONE;
            }
            loss = loss.plus(network.forwardBackward(ToTensor.apply(batch, spec.transforms()),
                    dropoutSeed(spec.seed(), step - 1)));
            accuracy = accuracy.plus(network.trainCorrect(), batch.sampleCount());
            network.step(optimizer, spec.schedule().lrFor(spec.optimizer().lr(), epoch, step - 1));
            for (WeightSnapshot snapshot : snapshots) {
                if (snapshot.step() == step) {
                    String at = golden + " step " + step;
                    assertThat(WeightSnapshot.sha256(network.parameters())).as(at)
                            .isEqualTo(snapshot.parametersSha256());
                    assertThat(loss).as("train loss, %s", at).isEqualTo(snapshot.trainLoss());
                    if (snapshot.trainAccuracy().known()) {
                        assertThat(accuracy).as("train accuracy, %s", at).isEqualTo(snapshot.trainAccuracy());
                    }
                    assertThat(optimizerState(network, optimizer)).as("optimizer state, %s", at)
                            .isEqualTo(snapshot.updaterState());
                    reproduced.add(snapshot.step());
                }
            }
        }
        assertThat(reproduced).containsExactlyElementsOf(snapshots.stream().map(WeightSnapshot::step).toList());
    }

    /** The trainer's seed for the dropout masks of the step after {@code stepsDone} ({@code TrainingStep.randomSeed}). */
    private static long dropoutSeed(long runSeed, long stepsDone) {
        return new SplittableRandom(runSeed + stepsDone * 0x9E3779B97F4A7C15L).nextLong();
    }

    /** The optimizer's state tensors in layout order, one after the other, as a snapshot holds them. */
    private static float[] optimizerState(Network network, Optimizer optimizer) {
        float[][] slots = optimizer.state();
        int count = network.parameters().length;
        float[] state = new float[slots.length * count];
        for (int slot = 0; slot < slots.length; slot++) {
            System.arraycopy(network.toLayoutOrder(slots[slot]), 0, state, slot * count, count);
        }
        return state;
    }
}
