package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.transform.Normalize;
import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.EvaluationResult;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.contracts.wire.Split;
import dev.streamtrain.model.Engines;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;
import dev.streamtrain.model.loss.MseLoss;
import dev.streamtrain.model.loss.NllLoss;
import dev.streamtrain.model.zoo.TutorialMlp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    @Test
    void theConfusionMatrixCountsEverySampleByActualAndPredictedClass() {
        Network network = Fixtures.trained(6);
        EvaluationSet testSet = Fixtures.testSet(200, 64);

        TestResult result = TestLoop.run(network, testSet);

        long[][] expected = new long[10][10];
        long[] perClass = new long[10];
        for (Minibatch batch : testSet.batches()) {
            TensorBatch tensors = ToTensor.apply(batch);
            float[] p = network.predict(tensors);
            for (int i = 0; i < tensors.size(); i++) {
                expected[tensors.labels()[i]][argmax(p, i, 10)]++;
                perClass[tensors.labels()[i]]++;
            }
        }
        long[][] confusion = result.confusion();
        assertThat(confusion).isDeepEqualTo(expected);
        long diagonal = 0;
        for (int c = 0; c < 10; c++) {
            assertThat(Arrays.stream(confusion[c]).sum()).as("row %d: the samples of class %d", c, c)
                    .isEqualTo(perClass[c]);
            diagonal += confusion[c][c];
        }
        assertThat(Arrays.stream(confusion).flatMapToLong(Arrays::stream).sum()).isEqualTo(200);
        assertThat(result.accuracy()).isEqualTo(diagonal / 200.0);
        // a trained network that is neither perfect nor at chance: the matrix is neither diagonal nor uniform
        assertThat(diagonal).isBetween(41L, 199L);
        assertThat(result.batches()).isEqualTo(4);
    }

    @Test
    void perClassAccuracyIsTheDiagonalOverEachRowAndNaNForAClassWithoutSamples() {
        Network network = Fixtures.trained(6);
        // the test set with labels folded onto classes 0..4: classes 5..9 have no samples
        List<Minibatch> folded = new ArrayList<>();
        for (Minibatch b : Fixtures.testSet(150, 50).batches()) {
            byte[] labels = b.labels().clone();
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (byte) (labels[i] % 5);
            }
            folded.add(new Minibatch(b.dataset(), b.split(), b.epoch(), b.epochs(), b.batchIndex(),
                    b.batchesPerEpoch(), b.datasetSize(), b.numClasses(), b.sampleShape(), b.pixels(), labels,
                    b.sampling(), b.sampleIndexes()));
        }
        EvaluationSet set = new EvaluationSet(Split.TEST, "topic", "folded/", folded);

        TestResult result = TestLoop.run(network, set);
        EvaluationResult named = result.of(set);

        int[] right = new int[10];
        int[] total = new int[10];
        for (Minibatch batch : set.batches()) {
            TensorBatch tensors = ToTensor.apply(batch);
            float[] p = network.predict(tensors);
            for (int i = 0; i < tensors.size(); i++) {
                int actual = tensors.labels()[i];
                total[actual]++;
                right[actual] += argmax(p, i, 10) == actual ? 1 : 0;
            }
        }
        double[] classAccuracy = named.classAccuracy();
        assertThat(classAccuracy).hasSize(10);
        for (int c = 0; c < 5; c++) {
            assertThat(total[c]).isPositive();
            assertThat(classAccuracy[c]).as("class %d", c).isEqualTo((double) right[c] / total[c]);
        }
        for (int c = 5; c < 10; c++) {
            assertThat(classAccuracy[c]).as("class %d has no samples", c).isNaN();
        }
        assertThat(named.split()).isEqualTo("test");
        assertThat(named.key()).isEqualTo("folded/");
        assertThat(named.samples()).isEqualTo(150);
        assertThat(named.batchSize()).isEqualTo(50);
        assertThat(named.batches()).isEqualTo(3);
        assertThat(named.accuracy()).isEqualTo(result.accuracy());
    }

    @Test
    void transformsChangeTheEvaluationExactlyAsNormalizingByHandWould() {
        Network network = Fixtures.trained(6);
        EvaluationSet testSet = Fixtures.testSet(200, 64);
        float mean = 0.2860f;
        float std = 0.3530f;
        List<TensorTransform> normalize = List.of(new Normalize(new double[] {mean}, new double[] {std}));

        TestResult plain = TestLoop.run(network, testSet);
        TestResult normalized = TestLoop.run(network, testSet, normalize);

        long[][] confusion = new long[10][10];
        int correct = 0;
        double lossSum = 0;
        for (Minibatch batch : testSet.batches()) {
            byte[] pixels = batch.pixels();
            float[] features = new float[pixels.length];
            for (int i = 0; i < features.length; i++) {
                features[i] = ((pixels[i] & 0xFF) / 255f - mean) / std; // torchvision: ToTensor, then sub_, div_
            }
            int[] labels = new int[batch.sampleCount()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = batch.label(i);
            }
            TensorBatch tensors = new TensorBatch(features, labels, TutorialMlp.INPUT, 10);
            float[] p = network.predict(tensors);
            double[] outputs = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                outputs[i] = p[i];
            }
            for (int i = 0; i < labels.length; i++) {
                int predicted = argmax(p, i, 10);
                confusion[labels[i]][predicted]++;
                correct += predicted == labels[i] ? 1 : 0;
            }
            lossSum += network.loss().value(outputs, labels, 10);
        }
        assertThat(normalized.accuracy()).isEqualTo(correct / 200.0);
        assertThat(normalized.avgLoss()).isEqualTo(lossSum / 4);
        assertThat(normalized.confusion()).isDeepEqualTo(confusion);
        // and it is another evaluation than without the transform
        assertThat(normalized.avgLoss()).isNotEqualTo(plain.avgLoss());
    }

    private static int argmax(float[] p, int sample, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            best = p[sample * classes + c] > p[sample * classes + best] ? c : best;
        }
        return best;
    }
}
