package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.MinibatchTensors;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tutorial's {@code test_loop}: inference only (no gradients, training-mode layers off),
 * counting correct predictions and averaging the cross-entropy over batches.
 */
public final class TestLoop {

    /** Probabilities are clipped here before the log, as DL4J's own cross-entropy does. */
    private static final double MIN_PROBABILITY = 1e-10;

    private TestLoop() {
    }

    public static TestResult run(MultiLayerNetwork network, TestSet testSet) {
        long correct = 0;
        double lossSum = 0;
        int samples = 0;
        for (Minibatch batch : testSet.batches()) {
            INDArray probabilities = network.output(MinibatchTensors.features(batch), false);
            int n = batch.sampleCount();
            int classes = batch.numClasses();
            float[] p = probabilities.dup('c').data().asFloat();
            double batchLoss = 0;
            for (int i = 0; i < n; i++) {
                int label = batch.label(i);
                int predicted = 0;
                for (int c = 1; c < classes; c++) {
                    if (p[i * classes + c] > p[i * classes + predicted]) {
                        predicted = c;
                    }
                }
                if (predicted == label) {
                    correct++;
                }
                batchLoss -= Math.log(Math.max(p[i * classes + label], MIN_PROBABILITY));
            }
            lossSum += batchLoss / n;
            samples += n;
        }
        return new TestResult((double) correct / samples, lossSum / testSet.batches().size(), samples);
    }
}
