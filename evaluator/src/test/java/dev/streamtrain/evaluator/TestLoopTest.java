package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.MathThreads;
import dev.streamtrain.model.MinibatchTensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestLoopTest {

    @BeforeAll
    static void oneThread() {
        MathThreads.apply(1);
    }

    @Test
    void accuracyAndAverageLossAgreeWithDl4jsOwnEvaluationAndLoss() {
        MultiLayerNetwork network = Fixtures.trained(6);
        TestSet testSet = Fixtures.testSet(200, 64); // batches of 64, 64, 64, 8

        TestResult result = TestLoop.run(network, testSet);

        Evaluation evaluation = new Evaluation(10);
        double lossSum = 0;
        for (Minibatch batch : testSet.batches()) {
            DataSet data = MinibatchTensors.toDataSet(batch);
            evaluation.eval(data.getLabels(), network.output(data.getFeatures(), false));
            lossSum += network.score(data, false); // batch-mean cross-entropy
        }
        assertThat(result.samples()).isEqualTo(200);
        assertThat(result.accuracy()).isEqualTo(evaluation.accuracy());
        // the tutorial's test_loss /= num_batches: a mean of batch means, not of samples
        assertThat(result.avgLoss()).isCloseTo(lossSum / 4, within(1e-5));
    }

    @Test
    void anUntrainedNetworkIsNearChanceAndATrainedOneIsNot() {
        TestSet testSet = Fixtures.testSet(300, 100);
        TestResult untrained = TestLoop.run(Fixtures.trained(0), testSet);
        TestResult trained = TestLoop.run(Fixtures.trained(20), testSet);
        assertThat(untrained.avgLoss()).isCloseTo(Math.log(10), within(0.3));
        assertThat(trained.avgLoss()).isLessThan(untrained.avgLoss());
        assertThat(trained.accuracy()).isGreaterThan(untrained.accuracy()).isGreaterThan(0.5);
    }
}
