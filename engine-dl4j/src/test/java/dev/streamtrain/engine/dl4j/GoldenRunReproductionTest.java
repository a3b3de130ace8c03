package dev.streamtrain.engine.dl4j;

import dev.streamtrain.contracts.golden.GoldenRun;
import dev.streamtrain.contracts.topic.TopicNames;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.MinibatchDeserializer;
import dev.streamtrain.contracts.wire.WeightSnapshot;
import dev.streamtrain.contracts.wire.WeightSnapshotDeserializer;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TorchInit;
import dev.streamtrain.model.loss.CrossEntropyLoss;
import dev.streamtrain.model.optim.Optimizer;
import dev.streamtrain.model.optim.Sgd;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine seam changed how a step is computed (DL4J's backprop, then the model API's SGD instead
 * of DL4J's {@code fit}); the golden run, trained by {@code fit} before the change, proves the bits
 * did not: the same minibatches from the same start give exactly its snapshots' parameters.
 */
class GoldenRunReproductionTest {

    private static final GoldenRun RUN = GoldenRun.named(GoldenRun.PRE_ENGINE_SEAM);

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    @Test
    void tutorialMlpWithPlainSgdReproducesTheGoldenSnapshotsBitForBit() {
        List<Minibatch> batches = RUN.records(TopicNames.DEFAULT_MINIBATCHES).stream()
                .map(r -> new MinibatchDeserializer().deserialize(r.topic(), r.value())).toList();
        List<WeightSnapshot> golden = RUN.records(TopicNames.DEFAULT_SNAPSHOTS).stream()
                .map(r -> new WeightSnapshotDeserializer().deserialize(r.topic(), r.value())).toList();
        Network network = new Dl4jEngine().create(TutorialMlp.architecture(), new CrossEntropyLoss());
        network.setParameters(TorchInit.parameters(TutorialMlp.architecture().parameters(), 42));
        assertThat(network.parameters()).isEqualTo(GoldenRun.referenceParameters(42));
        Optimizer sgd = new Optimizer(Sgd.of(1e-3), network.architecture().parameterCount());

        double lossSum = 0;
        for (int step = 1; step <= batches.size(); step++) {
            lossSum += network.forwardBackward(ToTensor.apply(batches.get(step - 1)), step);
            network.step(sgd, 1e-3);
            for (WeightSnapshot snapshot : golden) {
                if (snapshot.step() == step) {
                    assertThat(WeightSnapshot.sha256(network.parameters())).as("step %d", step)
                            .isEqualTo(snapshot.parametersSha256());
                    assertThat(lossSum).as("train loss sum at step %d", step).isEqualTo(snapshot.trainLoss().sum());
                }
            }
        }
    }
}
