package dev.streamtrain.evaluator;

import dev.streamtrain.contracts.transform.ToTensor;
import dev.streamtrain.contracts.wire.Minibatch;
import dev.streamtrain.model.Network;
import dev.streamtrain.model.TensorBatch;

/**
 * The tutorial's {@code test_loop}: inference only ({@code model.eval()}: dropout off, batch norm
 * on its running statistics; no gradients), counting correct predictions (argmax of the outputs,
 * first maximum on ties) and averaging the run's loss over batches
 * ({@code test_loss /= num_batches}).
 */
public final class TestLoop {

    private TestLoop() {
    }

    public static TestResult run(Network network, TestSet testSet) {
        long correct = 0;
        double lossSum = 0;
        int samples = 0;
        for (Minibatch batch : testSet.batches()) {
            TensorBatch tensors = ToTensor.apply(batch);
            float[] outputs = network.predict(tensors);
            int n = tensors.size();
            int classes = tensors.classes();
            double[] values = new double[outputs.length];
            for (int i = 0; i < outputs.length; i++) {
                values[i] = outputs[i];
            }
            for (int i = 0; i < n; i++) {
                int predicted = 0;
                for (int c = 1; c < classes; c++) {
                    if (outputs[i * classes + c] > outputs[i * classes + predicted]) {
                        predicted = c;
                    }
                }
                if (predicted == tensors.labels()[i]) {
                    correct++;
                }
            }
            lossSum += network.loss().value(values, tensors.labels(), classes);
            samples += n;
        }
        return new TestResult((double) correct / samples, lossSum / testSet.batches().size(), samples);
    }
}
