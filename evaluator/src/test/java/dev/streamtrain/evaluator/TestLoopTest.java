package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TestLoopTest {

    @BeforeAll
    static void oneThread() {
        Engines.get(Engines.DEFAULT).setMathThreads(1);
    }

    @Test
    void accuracyCountsArgmaxHitsAndTheLossIsAMeanOfBatchMeans() {
        Network network = Fixtures.trained(6);
        EvaluationSet testSet = Fixtures.testSet(200, 64); // batches of 64, 64, 64, 8

        TestResult result = TestLoop.run(network, testSet);

        int correct = 0;
        double batchMeans = 0;
        for (Minibatch batch : testSet.batches()) {
            TensorBatch tensors = ToTensor.apply(batch);
            float[] p = network.predict(tensors);
            double sum = 0;
            for (int i = 0; i < tensors.size(); i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = p[i * 10 + c] > p[i * 10 + best] ? c : best;
                }
                correct += best == tensors.labels()[i] ? 1 : 0;
                sum -= Math.log(p[i * 10 + tensors.labels()[i]]);
            }
            batchMeans += sum / tensors.size();
        }
        assertThat(result.samples()).isEqualTo(200);
        assertThat(result.accuracy()).isEqualTo(correct / 200.0);
        // the tutorial's test_loss /= num_batches: a mean of batch means, not of samples
        assertThat(result.avgLoss()).isCloseTo(batchMeans / 4, within(1e-9));
    }

    @Test
    void anUntrainedNetworkIsNearChanceAndATrainedOneIsNot() {
        EvaluationSet testSet = Fixtures.testSet(300, 100);
        TestResult untrained = TestLoop.run(Fixtures.trained(0), testSet);
        TestResult trained = TestLoop.run(Fixtures.trained(20), testSet);
        assertThat(untrained.avgLoss()).isCloseTo(Math.log(10), within(0.3));
        assertThat(trained.avgLoss()).isLessThan(untrained.avgLoss());
        assertThat(trained.accuracy()).isGreaterThan(untrained.accuracy()).isGreaterThan(0.5);
    }

    @Test
    void theTestLossIsTheRunsLoss() {
        EvaluationSet testSet = Fixtures.testSet(200, 50);
        Network crossEntropy = Fixtures.trained(6);
        Network nll = Fixtures.trained(0, NllLoss.NAME);
        Network mse = Fixtures.trained(0, MseLoss.NAME);
        nll.setParameters(crossEntropy.parameters());
        mse.setParameters(crossEntropy.parameters());

        TestResult ce = TestLoop.run(crossEntropy, testSet);
        TestResult viaLogSoftmax = TestLoop.run(nll, testSet);
        TestResult squared = TestLoop.run(mse, testSet);

        // NLL of log_softmax is cross-entropy: same weights, same figures
        assertThat(viaLogSoftmax.accuracy()).isEqualTo(ce.accuracy());
        assertThat(viaLogSoftmax.avgLoss()).isCloseTo(ce.avgLoss(), within(1e-5));
        // MSE on the logits against one-hot targets: the same predictions, another loss
        assertThat(squared.accuracy()).isEqualTo(ce.accuracy());
        assertThat(squared.avgLoss()).isNotCloseTo(ce.avgLoss(), within(0.01));
    }
}
