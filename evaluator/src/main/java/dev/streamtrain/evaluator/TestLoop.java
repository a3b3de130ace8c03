package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.transform.TensorTransform;
import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.Predictions;
import dev.streamtrain.model.TensorBatch;

import java.util.List;

/**
 * The tutorial's {@code test_loop}, for the test set and the validation split alike: inference only
 * ({@code model.eval()}: dropout off, batch norm on its running statistics; no gradients), the
 * run's transforms after ToTensor, counting correct predictions (argmax of the outputs, first
 * maximum on ties) into a confusion matrix and averaging the run's loss over batches
 * ({@code test_loss /= num_batches}).
 */
public final class TestLoop {

    private TestLoop() {
    }

    public static TestResult run(Network network, EvaluationSet set) {
        return run(network, set, List.of());
    }

    public static TestResult run(Network network, EvaluationSet set, List<TensorTransform> transforms) {
        int classes = set.numClasses();
        long[][] confusion = new long[classes][classes];
        long correct = 0;
        double lossSum = 0;
        int samples = 0;
        for (Minibatch batch : set.batches()) {
            TensorBatch tensors = ToTensor.apply(batch, transforms);
            float[] outputs = network.predict(tensors);
            int n = tensors.size();
            double[] values = new double[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                values[i] = outputs[i];
            }
            for (int i = 0; i < n; i++) {
                int predicted = Predictions.argmax(outputs, i * classes, classes);
                int actual = tensors.labels()[i];
                confusion[actual][predicted]++;
                if (predicted == actual) {
                    correct++;
                }
            }
            lossSum += network.loss().value(values, tensors.labels(), classes);
            samples += n;
        }
        int batches = set.batches().size();
        return new TestResult((double) correct / samples, lossSum / batches, samples, batches, confusion);
    }
}
